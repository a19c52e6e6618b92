package io.github.promkinesis.http;

import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Bounds how many requests are in flight at once (waiting to decode, decoding, delivering), which bounds
 * threads and sink calls.
 * A request beyond the bound is refused at once (503, Prometheus resends it later) instead of waiting.
 */
public class ConcurrencyLimit implements Processor {

    private int maxConcurrentRequests;
    private Semaphore permits;

    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.permits = new Semaphore(maxConcurrentRequests);
    }

    @Override
    public void process(Exchange exchange) {
        if (!permits.tryAcquire()) {
            throw new OverloadedException("already delivering " + maxConcurrentRequests
                    + " requests (MAX_CONCURRENT_REQUESTS): retry later");
        }
        RequestEnd.then(exchange, permits::release);
    }
}
