package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's Prometheus, scraping itself every second and remote-writing to the adapter; its own config, data
 * directory and port in a temporary directory.
 */
final class Prometheus implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port = Ports.free();
    private final String name;
    private final Process process;

    Prometheus(URI remoteWrite, String name) throws IOException {
        this(remoteWrite, name, Map.of());
    }

    /** As above, also scraping each of {@code otherJobs}' metrics URLs every second under its job name. */
    Prometheus(URI remoteWrite, String name, Map<String, URI> otherJobs) throws IOException {
        this(name, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: prometheus",
                "    static_configs:",
                "      - targets: ['SELF']",
                otherJobs.entrySet().stream().map(job -> String.join("\n",
                        "  - job_name: " + job.getKey(),
                        "    scheme: " + job.getValue().getScheme(),
                        "    metrics_path: " + job.getValue().getPath(),
                        "    static_configs:",
                        "      - targets: ['" + job.getValue().getAuthority() + "']")).collect(Collectors.joining("\n")),
                "remote_write:",
                "  - url: " + remoteWrite,
                "    queue_config:",
                "      batch_send_deadline: 1s",
                "    metadata_config:",
                "      send_interval: 5s",
                ""));
    }

    /** A Prometheus that scrapes nothing and takes remote write at {@link #receiver()}, as a restore's target. */
    static Prometheus receiver(String name) throws IOException {
        return new Prometheus(name, "global:\n  scrape_interval: 1h\n", "--web.enable-remote-write-receiver");
    }

    /** A Prometheus that scrapes nothing and serves the blocks in {@code data} (made by promtool's backfill). */
    static Prometheus onBlocks(String name, Path data) throws IOException {
        return new Prometheus(name, "global:\n  scrape_interval: 1h\n", "--storage.tsdb.path=" + data);
    }

    /**
     * A Prometheus with this whole configuration file ({@code SELF} in it becomes its own address) and these
     * flags besides its config file, listen address and (unless given) a data directory in its temporary one.
     */
    static Prometheus configured(String name, String configuration, String... flags) throws IOException {
        return new Prometheus(name, configuration, flags);
    }

    private Prometheus(String name, String configuration, String... flags) throws IOException {
        this.name = name;
        Path dir = Files.createTempDirectory("prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, configuration.replace("SELF", "127.0.0.1:" + port));
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port));
        if (List.of(flags).stream().noneMatch(flag -> flag.startsWith("--storage.tsdb.path="))) {
            command.add("--storage.tsdb.path=" + dir.resolve("data"));
        }
        command.addAll(List.of(flags));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Files.createDirectories(Path.of("target/it-logs")).resolve(name + ".log").toFile())
                .start();
    }

    /** Its HTTP API and UI: http://127.0.0.1:PORT. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * The whole answer of an API call ({@code /api/v1/query}, {@code /api/v1/query_range}, ...) with these
     * parameters, whatever its status: {@code status}, {@code data}, and {@code errorType}, {@code error} or
     * {@code warnings} when there are.
     */
    JsonNode api(String path, Map<String, String> parameters) throws Exception {
        String query = parameters.entrySet().stream().map(p -> p.getKey() + "="
                + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri().resolve(path + "?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            return JSON.readTree(answer.body());
        } catch (IOException notJson) {
            throw new IllegalStateException(name + " answered " + answer.statusCode() + " to " + path + "?" + query
                    + ": " + answer.body(), notJson);
        }
    }

    /** Where a Prometheus started by {@link #receiver} takes remote write. */
    URI receiver() {
        return URI.create("http://127.0.0.1:" + port + "/api/v1/write");
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
        throw new IllegalStateException("prometheus not ready; see target/it-logs/" + name + ".log");
    }

    /** The raw samples of a range selector at a time, as canonical sample lines. */
    List<String> rawSamples(String selector, long timeMs) throws Exception {
        List<String> samples = new ArrayList<>();
        for (JsonNode series : query(selector, timeMs).get("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = series.get("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                labels.put(label.getKey(), label.getValue().textValue());
            }
            for (JsonNode point : series.get("values")) {
                long time = new BigDecimal(point.get(0).asText()).movePointRight(3).longValueExact();
                samples.add(SampleLines.of(labels, time, apiValue(point.get(1).textValue())));
            }
        }
        return samples;
    }

    /** A value as Prometheus' API writes it: Go's numbers, with infinities as "+Inf" and "-Inf". */
    private static double apiValue(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** The value of a query that yields one number, now (0 when it yields nothing). */
    double value(String expression) throws Exception {
        JsonNode result = query(expression, System.currentTimeMillis()).get("result");
        return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).get("value").get(1).textValue());
    }

    /** How many series an instant query returns at a time (none when their latest sample is a staleness marker). */
    int seriesAt(String expression, long timeMs) throws Exception {
        return query(expression, timeMs).get("result").size();
    }

    private JsonNode query(String expression, long timeMs) throws Exception {
        String query = "http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(expression, StandardCharsets.UTF_8) + "&time=" + (timeMs / 1000.0);
        JsonNode answer = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(query)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("success", answer.get("status").textValue(), answer.toString());
        return answer.get("data");
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
