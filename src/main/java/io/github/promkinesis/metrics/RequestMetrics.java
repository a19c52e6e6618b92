package io.github.promkinesis.metrics;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The first step of a request: counts it in flight, and when it is answered records its status code, duration
 * and samples. The route sets the {@value #SAMPLES} property once the request is decoded.
 */
public class RequestMetrics implements Processor {

    public static final String SAMPLES = "samples";
    private volatile AdapterMetrics metrics;

    @Override
    public void process(Exchange exchange) {
        long started = System.nanoTime();
        if (metrics == null) {
            // bound by the adapter's configuration, after the route's beans are made: looked up at first use
            metrics = CamelContextHelper.mandatoryLookup(exchange.getContext(), AdapterMetrics.BEAN, AdapterMetrics.class);
        }
        AdapterMetrics metrics = this.metrics;
        metrics.requestStarted();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                int status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
                metrics.requestAnswered(status, System.nanoTime() - started,
                        done.getProperty(SAMPLES, 0, Integer.class));
            }
        });
    }
}
