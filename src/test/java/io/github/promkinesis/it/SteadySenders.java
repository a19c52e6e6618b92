package io.github.promkinesis.it;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Senders that each post generated requests (10 series of 60 samples) one after the other until stopped, as
 * Prometheus' shards do, every answer recorded in a ledger; a request that got no answer is counted and, as
 * Prometheus would, followed by a short pause.
 */
final class SteadySenders {

    final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;

    SteadySenders(Endpoint adapter, DeliveryLedger ledger, String prefix, int senders) {
        threads = Executors.newFixedThreadPool(senders);
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    WriteRequest request = RemoteWriteBodies.generated(prefix + "-" + sender + "-" + i, 10, 60, i);
                    try {
                        ledger.record(request, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request))
                                .statusCode());
                    } catch (IOException cutOffOrRefused) {
                        unanswered.incrementAndGet(); // no answer: Prometheus would resend it
                        Thread.sleep(50);
                    }
                }
                return null;
            });
        }
    }

    /** Stops sending and waits for the requests on their way. */
    boolean stop() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        return threads.awaitTermination(30, TimeUnit.SECONDS);
    }
}
