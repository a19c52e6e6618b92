package io.github.promkinesis.http;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/** What a request's admission steps give back when it ends, answered or failed. */
final class RequestEnd {

    private RequestEnd() {
    }

    static void then(Exchange exchange, Runnable giveBack) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                giveBack.run();
            }
        });
    }
}
