package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The no-loss run: Debian's Prometheus scrapes itself every second and remote-writes through the fault proxy,
 * which throttles a share of the entries and cuts some connections, while kinesalite is stopped and restarted
 * once. Afterwards every sample in Prometheus' TSDB for the window is in the stream.
 * Long version: {@code mvn verify -Dit.test=PrometheusNoLossIT -Dnoloss.seconds=1800}.
 */
class PrometheusNoLossIT {

    private static final int SECONDS = Integer.getInteger("noloss.seconds", 75);
    private static final long OUTAGE_MS = 15_000;

    @Test
    void everySamplePrometheusStoredIsInTheStreamThroughThrottlingAndAKinesisRestart() throws Exception {
        assertTrue(Files.isExecutable(Prometheus.BINARY), "needs Debian's prometheus package");
        try (Deployment it = Deployment.withOwnKinesalite("PrometheusNoLossIT", 2, 11L, Map.of())) {
            Endpoint adapter = it.adapter;
            FaultProxy proxy = it.proxy;
            Kinesalite kinesis = it.kinesis;
            try (Prometheus prometheus = new Prometheus(adapter.uri("/receive"), "prometheus-noloss")) {
                prometheus.awaitReady();
                long windowStart = System.currentTimeMillis();
                proxy.rejectEntries = 0.2;
                proxy.cutAfterCall = 0.02;

                Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS / 3));
                // longer than the delivery deadline, so requests are answered 503 and resent by Prometheus
                kinesis.stop();
                Thread.sleep(OUTAGE_MS);
                kinesis.start();
                Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS - SECONDS / 3) - OUTAGE_MS);
                proxy.noFaults();
                long windowEnd = System.currentTimeMillis() - 1_000;

                List<String> stored = prometheus.rawSamples(
                        "{__name__=~\".+\"}[" + (windowEnd - windowStart) + "ms]", windowEnd);
                assertTrue(stored.size() > SECONDS * 100, "Prometheus stored " + stored.size() + " samples");
                DeliveryLedger ledger = new DeliveryLedger();
                ledger.recordAnswered(stored);

                // Prometheus resends what was refused with backoff: give it time to catch up
                Set<String> missing = new HashSet<>(stored);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                List<String> inStream = List.of();
                while (!missing.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(2_000);
                    inStream = SampleLines.received(it.stream.readAll());
                    // a set argument: HashSet.removeAll(list) is quadratic when the set is the smaller
                    missing.removeAll(new HashSet<>(inStream));
                }
                DeliveryLedger.Result result = ledger.reconcile(inStream);
                String report = "PrometheusNoLossIT " + SECONDS + " s: Prometheus stored " + result.sent()
                        + " samples in the window; " + result + "; Prometheus sent "
                        + (long) prometheus.value("sum(prometheus_remote_storage_samples_total)")
                        + ", retried " + (long) prometheus.value("sum(prometheus_remote_storage_samples_retried_total)")
                        + ", failed " + (long) prometheus.value("sum(prometheus_remote_storage_samples_failed_total)")
                        + "; proxy: " + proxy.report();
                System.out.println(report);
                assertEquals(0, result.lost(), report);
                assertTrue(proxy.entriesRejected.get() > 0, report);
                assertTrue(adapter.log().contains("answered 503"), "the outage was felt: " + report);
                assertTrue(prometheus.value("sum(prometheus_remote_storage_samples_retried_total)") > 0, report);
            }
        }
    }
}
