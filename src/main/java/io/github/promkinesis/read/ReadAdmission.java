package io.github.promkinesis.read;

import io.github.promkinesis.http.OverloadedException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The {@code admit} step: at most READ_MAX_CONCURRENT requests read the archive at once; one more is answered 429
 * at once (Prometheus reports it as the query's error; Grafana's next refresh asks again), so that a burst of
 * dashboards cannot take the memory and threads of the ones being answered. An answer is read while it is sent,
 * after the route is done: its request keeps the permit until the answer is closed ({@link Permit}).
 */
public final class ReadAdmission {

    /** The exchange property holding the request's {@link Permit}. */
    static final String PERMIT = "readPermit";

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
        Permit permit = new Permit(permits);
        exchange.setProperty(PERMIT, permit);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!permit.handedOver) {
                    permit.release();
                }
            }
        });
    }

    /** A request's place among the READ_MAX_CONCURRENT, given back once: when its answer is closed, or it failed. */
    static final class Permit {
        private final Semaphore permits;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean handedOver;

        Permit(Semaphore permits) {
            this.permits = permits;
        }

        /** From now on the answer gives it back when closed. */
        void handOver() {
            handedOver = true;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        }
    }
}
