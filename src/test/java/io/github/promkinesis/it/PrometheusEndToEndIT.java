package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.tools.StreamReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final List<String> SERIES = List.of("up", "scrape_duration_seconds", "go_goroutines",
            "prometheus_tsdb_head_samples_appended_total", "prometheus_remote_storage_samples_total");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everySamplePrometheusStoredIsInTheStream() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), "the end-to-end test needs Debian's prometheus package "
                + "(apt-get install prometheus); .ci/run installs it");
        try (Kinesalite kinesis = new Kinesalite()) {
            StreamReader stream = kinesis.createStream("e2e-it", 2);
            try (Adapter adapter = Adapter.against(kinesis, "e2e-it", "PrometheusEndToEndIT");
                 Prometheus prometheus = new Prometheus(adapter.uri("/receive"))) {
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
                    missing.removeAll(SampleLines.received(stream.readAll()));
                    Thread.sleep(500);
                }
                assertEquals(Set.of(), missing, "stored by Prometheus but not in the stream (of " + stored.size() + ")");
                assertTrue(adapter.log().lines().noneMatch(l -> l.contains("answered 5")), adapter.log());
            }
        }
    }

    /** A Prometheus process of its own: config, data directory and port in a temporary directory. */
    private static final class Prometheus implements AutoCloseable {
        private final int port = Ports.free();
        private final Process process;

        Prometheus(URI remoteWrite) throws IOException {
            Path dir = Files.createTempDirectory("prometheus");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "scrape_configs:",
                    "  - job_name: prometheus",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + port + "']",
                    "remote_write:",
                    "  - url: " + remoteWrite,
                    "    queue_config:",
                    "      batch_send_deadline: 1s",
                    "    metadata_config:",
                    "      send_interval: 5s",
                    ""));
            process = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(Files.createDirectories(Path.of("target/it-logs")).resolve("prometheus.log").toFile())
                    .start();
        }

        void awaitReady() throws Exception {
            for (int i = 0; i < 300; i++) {
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("prometheus not ready; see target/it-logs/prometheus.log");
        }

        /** The raw samples of a range selector at a time, as canonical sample lines. */
        List<String> rawSamples(String selector, long timeMs) throws Exception {
            String query = "http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(selector, StandardCharsets.UTF_8) + "&time=" + (timeMs / 1000.0);
            JsonNode answer = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(query)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("success", answer.get("status").textValue(), answer.toString());
            List<String> samples = new ArrayList<>();
            for (JsonNode series : answer.get("data").get("result")) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = series.get("metric").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> label = it.next();
                    labels.put(label.getKey(), label.getValue().textValue());
                }
                for (JsonNode point : series.get("values")) {
                    long time = new BigDecimal(point.get(0).asText()).movePointRight(3).longValueExact();
                    samples.add(SampleLines.of(labels, time, Double.parseDouble(point.get(1).textValue())));
                }
            }
            return samples;
        }

        /** Prometheus 2.42 can hang on SIGTERM when its receiver is gone: it is stopped first, and killed if slow. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
