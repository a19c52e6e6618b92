package io.github.promkinesis.read;

import io.github.promkinesis.http.OverloadedException;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The {@code admit} step: at most READ_MAX_CONCURRENT requests read the archive at once; one more is answered 429
 * at once (Prometheus reports it as the query's error; Grafana's next refresh asks again), so that a burst of
 * dashboards cannot take the memory and threads of the ones being answered. A request keeps its place until its
 * answer is sent: the route's last step sends it.
 */
public final class ReadAdmission {

    private final int maxConcurrent;
    private final Semaphore permits;

    public ReadAdmission(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
    }

    public void admit(Exchange exchange) {
        if (!permits.tryAcquire()) {
            throw new OverloadedException("already answering " + maxConcurrent + " read requests"
                    + " (READ_MAX_CONCURRENT): retry later");
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permits.release();
            }
        });
    }
}
