package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * After a known load, through a proxy that rejects a share of entries, the counters equal what happened; the
 * dashboard and alert rules query only what is served, and the rules fire where they should.
 */
class MetricsIT {

    private static final Path DASHBOARD = Path.of("deploy/grafana/prometheus-remote-kinesis.json");
    private static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void countersEqualWhatWasSentAcceptedAndRejected() throws Exception {
        try (Deployment it = Deployment.behindProxy("MetricsIT", 1, 5, Map.of())) {
            List<String> mark = it.mark();
            it.proxy.rejectEntries = 0.1;
            byte[] fixture = RemoteWriteBodies.fixture();
            for (int i = 0; i < 3; i++) {
                assertEquals(204, it.adapter.remoteWrite("/receive", fixture).statusCode());
            }
            assertEquals(400, it.adapter.remoteWrite("/receive", "not snappy".getBytes()).statusCode());
            it.proxy.noFaults();

            List<Record> records = it.stream.read(mark);
            long bytes = records.stream().mapToLong(r -> r.data().asByteArrayUnsafe().length).sum();
            Map<String, Double> metrics = scrape(it.adapter);

            assertEquals(3.0, metrics.get("prometheus_remote_kinesis_requests_total{code=\"204\",outcome=\"delivered\"}"));
            assertEquals(1.0, metrics.get("prometheus_remote_kinesis_requests_total{code=\"400\",outcome=\"refused\"}"));
            assertEquals(3.0 * 418, metrics.get("prometheus_remote_kinesis_samples_received_total"));
            assertEquals(3.0 * 418, metrics.get("prometheus_remote_kinesis_samples_delivered_total"));
            assertEquals(records.size(), metrics.get("prometheus_remote_kinesis_records_sent_total{sink=\"kinesis\"}"));
            assertEquals(bytes, metrics.get("prometheus_remote_kinesis_sent_bytes_total{sink=\"kinesis\"}"));
            assertEquals(it.proxy.putRecordsCalls.get(), metrics.get("prometheus_remote_kinesis_putrecords_calls_total{sink=\"kinesis\"}"));
            long rejected = it.proxy.entriesRejected.get();
            assertTrue(rejected > 0, "the proxy rejected entries");
            assertEquals(rejected, metrics.get("prometheus_remote_kinesis_records_retried_total{sink=\"kinesis\"}"));
            assertEquals(rejected, metrics.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("prometheus_remote_kinesis_entries_failed_total{"))
                    .mapToDouble(Map.Entry::getValue).sum());
            assertEquals(0.0, metrics.get("prometheus_remote_kinesis_requests_in_flight"));
            assertTrue(metrics.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM metrics");
            assertDashboardAndAlertsUseServedNames(metrics.keySet());
        }
    }

    /** Every adapter metric the Grafana dashboard and the alert rules query is one the adapter serves. */
    private static void assertDashboardAndAlertsUseServedNames(Set<String> served) throws Exception {
        Pattern name = Pattern.compile("prometheus_remote_kinesis_[a-z_]+");
        for (Path file : List.of(DASHBOARD, ALERTS)) {
            Matcher used = name.matcher(Files.readString(file));
            int count = 0;
            while (used.find()) {
                String metric = used.group();
                assertTrue(served.stream().anyMatch(k -> k.equals(metric) || k.startsWith(metric + "{")),
                        file + " queries " + metric + ", which the adapter does not serve");
                count++;
            }
            assertTrue(count >= 5, file + " queries the adapter's metrics");
        }
    }

    @Test
    void alertRulesAreValidAndFireWhereTheyShould() throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), "needs promtool from Debian's prometheus package");
        for (List<String> command : List.of(List.of(PROMTOOL.toString(), "check", "rules", "alerts.yml"),
                List.of(PROMTOOL.toString(), "test", "rules", "alerts-test.yml"))) {
            Process promtool = new ProcessBuilder(command).directory(ALERTS.getParent().toFile())
                    .redirectErrorStream(true).start();
            String output = new String(promtool.getInputStream().readAllBytes());
            assertEquals(0, promtool.waitFor(), String.join(" ", command) + ":\n" + output);
        }
    }

    static Map<String, Double> scrape(Endpoint adapter) throws Exception {
        String text = adapter.send("/observe/metrics", "GET", new byte[0], Map.of()).body();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }
}
