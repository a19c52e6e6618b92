package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Debian's real Prometheus scrapes itself every second and remote-writes to the adapter for about 20 seconds;
 * every sample its query API returns for a few series in that window must then be in the stream.
 */
class PrometheusEndToEndIT {

    private static final List<String> SERIES = List.of("up", "scrape_duration_seconds", "go_goroutines",
            "prometheus_tsdb_head_samples_appended_total", "prometheus_remote_storage_samples_total");

    @Test
    void everySamplePrometheusStoredIsInTheStream() throws Exception {
        assertTrue(Files.isExecutable(Prometheus.BINARY), "the end-to-end test needs Debian's prometheus package "
                + "(apt-get install prometheus); .ci/run installs it");
        try (Deployment it = Deployment.direct("PrometheusEndToEndIT", 2, Map.of())) {
            Endpoint adapter = it.adapter;
            try (Prometheus prometheus = new Prometheus(adapter.uri("/receive"), "prometheus-e2e")) {
                prometheus.awaitReady();
                Thread.sleep(20_000);
                // samples up to 5 s ago have left Prometheus' queue (batch_send_deadline 1s)
                long windowEnd = System.currentTimeMillis() - 5_000;

                List<String> stored = new ArrayList<>();
                for (String series : SERIES) {
                    stored.addAll(prometheus.rawSamples(series + "[30s]", windowEnd));
                }
                assertTrue(stored.size() >= SERIES.size() * 10, "Prometheus stored too few samples: " + stored);

                Set<String> missing = new HashSet<>(stored);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!missing.isEmpty() && System.nanoTime() < deadline) {
                    // a set argument: HashSet.removeAll(list) is quadratic when the set is the smaller
                    missing.removeAll(new HashSet<>(SampleLines.received(it.stream.readAll())));
                    Thread.sleep(500);
                }
                assertEquals(Set.of(), missing, "stored by Prometheus but not in the stream (of " + stored.size() + ")");
                assertTrue(adapter.log().lines().noneMatch(l -> l.contains("answered 5")), adapter.log());
            }
        }
    }
}
