package io.github.promkinesis.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Remote read's speed (docs/benchmarks.md, "Remote read"), by hand, not in CI: {@code series} counters scraped
 * every 15 s for {@code days} days, written as Firehose's hourly objects of JSON lines, compacted by the jar, then
 * served by {@code serve-archive} (the image's JVM flags in {@code memory}) to an empty Debian Prometheus 2.42 (B)
 * with {@code remote_read}; the same days backfilled into Prometheus A with promtool from the jar's OpenMetrics
 * export. Each query through the HTTP API of A and B, timed from the request to the last byte of the answer:
 * the first time (B's days not yet opened) and the median of five more; the answers must be equal.
 *
 * <pre>mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.github.promkinesis.it.RemoteReadBenchmark \
 *   series=100 days=30 memory=512m [READ_MAX_BYTES=...] [prometheusA=false] [work=DIR of an earlier run]
 *   [s3=true latency=30 (the days from s3rver, each request delayed by latency ms) [READ_CACHE_DIR=...]]</pre>
 * Any UPPER_CASE=value is the server's environment.
 */
public final class RemoteReadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long STEP_MS = 15_000;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    private RemoteReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = RestoreBenchmark.options(args, Map.of("series", "100", "days", "30",
                "memory", "512m", "jvm", "", "prometheusA", "true", "s3", "false", "latency", "30"));
        int series = Integer.parseInt(options.get("series"));
        int days = Integer.parseInt(options.get("days"));
        LocalDate first = LocalDate.of(2026, 10, 1);
        LocalDate last = first.plusDays(days - 1);
        long start = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long end = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        // work=DIR of an earlier run: its archive, compacted days and Prometheus A's blocks again
        boolean again = options.containsKey("work");
        Path work = again ? Path.of(options.get("work")) : Files.createTempDirectory("read-bench");
        Path raw = work.resolve("archive");
        if (!again) {
            long samples = write(raw, series, start, end);
            System.out.printf(Locale.ROOT, "RemoteReadBenchmark: %d samples of %d series over %d days written in %s%n",
                    samples, series, days, work);
        }
        Path compacted = work.resolve("compacted");
        long parquetBytes = 0;
        for (LocalDate day = first; !again && !day.isAfter(last); day = day.plusDays(1)) {
            // a day per process, as the chart's backfill Job runs them
            ArchiveCommand.Run compact = ArchiveCommand.run(RestoreBenchmark.imageJvm("1g", ""), List.of("compact",
                    "--from", raw.toString(), "--to", compacted.toString(), "--day", day.toString(), "--tmp-dir",
                    work.toString()), Map.of(), work.resolve("compact.log"), Duration.ofMinutes(60));
            if (compact.exit() != 0) {
                throw new IllegalStateException(compact.log());
            }
        }
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            parquetBytes += Files.size(compacted.resolve("dt=" + day + "/part-0.parquet"));
        }
        System.out.printf(Locale.ROOT, "RemoteReadBenchmark: compacted to %d bytes of Parquet%n", parquetBytes);

        int readPort = Ports.free();
        long serverStarted = System.nanoTime();
        Map<String, String> env = new java.util.HashMap<>(Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT",
                String.valueOf(readPort)));
        options.forEach((name, value) -> {
            if (name.matches("[A-Z_]+")) {
                env.put(name, value); // the server's settings, e.g. READ_MAX_BYTES
            }
        });
        // s3=true: the days from s3rver through a proxy that delays each request by latency ms (S3's first byte)
        S3rver s3 = options.get("s3").equals("true") ? new S3rver() : null;
        HoldingProxy s3Latency = null;
        String source = compacted.toString();
        if (s3 != null) {
            s3.client.createBucket(r -> r.bucket("bench"));
            s3.putDirectory("bench", "compacted/", compacted);
            s3Latency = new HoldingProxy(URI.create(s3.endpoint()).getPort());
            s3Latency.delayMillis = Long.parseLong(options.get("latency"));
            env.putAll(Map.of("S3_ENDPOINT", s3Latency.endpoint(), "AWS_ACCESS_KEY_ID", S3rver.KEY,
                    "AWS_SECRET_ACCESS_KEY", S3rver.KEY, "AWS_REGION", "us-east-1"));
            source = "s3://bench/compacted";
        }
        Process server = ArchiveCommand.start(RestoreBenchmark.imageJvm(options.get("memory"), options.get("jvm")),
                List.of("serve-archive", "--from", source), env, work.resolve("serve.log"));
        Process promB = null;
        Process promA = null;
        try {
            waitFor(URI.create("http://127.0.0.1:" + readPort + "/observe/health"), Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "RemoteReadBenchmark: serve-archive answers health %.1f s after its start%n",
                    (System.nanoTime() - serverStarted) / 1e9);
            int portB = Ports.free();
            promB = prometheus(work.resolve("b"), portB, String.join("\n",
                    "remote_read:",
                    "  - url: http://127.0.0.1:" + readPort + "/api/v1/read",
                    "    read_recent: true",
                    "    remote_timeout: 1m"), List.of());
            int portA = Ports.free();
            if (options.get("prometheusA").equals("true")) {
                Path data = work.resolve("a/data");
                if (!again) {
                    backfill(raw, first, last, data, work);
                }
                promA = prometheus(work.resolve("a"), portA, "", List.of("--storage.tsdb.retention.time=10y"));
            }
            waitFor(URI.create("http://127.0.0.1:" + portB + "/-/ready"), Duration.ofSeconds(60));
            if (promA != null) {
                waitFor(URI.create("http://127.0.0.1:" + portA + "/-/ready"), Duration.ofMinutes(5));
            }
            double from = start / 1000.0;
            double to = end / 1000.0;
            List<String[]> queries = List.of(
                    new String[] {"rate(bench_requests_total[5m])", "3600"},
                    new String[] {"rate(bench_requests_total{instance=\"host-7\"}[5m])", "3600"},
                    new String[] {"sum(rate(bench_requests_total[5m]))", "3600"});
            for (String[] query : queries) {
                long requestsBefore = s3Latency == null ? 0 : s3Latency.requestLines.size();
                String path = "/api/v1/query_range?query=" + URLEncoder.encode(query[0], StandardCharsets.UTF_8)
                        + "&start=" + from + "&end=" + to + "&step=" + query[1];
                Timed b = timed(URI.create("http://127.0.0.1:" + portB + path));
                Timed a = promA == null ? null : timed(URI.create("http://127.0.0.1:" + portA + path));
                if (a != null && !a.answer.equals(b.answer)) {
                    throw new IllegalStateException("A and B differ on " + query[0]);
                }
                System.out.printf(Locale.ROOT, "RemoteReadBenchmark: %s over %d days, step %s s: %d series, %d points;"
                                + " B (remote read) first %.2f s, then median %.2f s; A (local TSDB) first %s s, median %s s%n",
                        query[0], days, query[1], b.series, b.points, b.firstSeconds, b.medianSeconds,
                        a == null ? "-" : String.format(Locale.ROOT, "%.2f", a.firstSeconds),
                        a == null ? "-" : String.format(Locale.ROOT, "%.2f", a.medianSeconds));
                if (s3Latency != null) {
                    System.out.printf(Locale.ROOT, "RemoteReadBenchmark: %d S3 requests for its 6 runs (%d ms each)%n",
                            s3Latency.requestLines.size() - requestsBefore, s3Latency.delayMillis);
                }
            }
            System.out.printf(Locale.ROOT, "RemoteReadBenchmark: serve-archive peak RSS %d MB (MaxRAM %s)%n",
                    LoadBenchmark.peakRssMegabytes(server.pid()), options.get("memory"));
        } finally {
            for (Process process : Arrays.asList(promA, promB, server)) {
                if (process != null) {
                    process.destroy();
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                }
            }
            if (s3Latency != null) {
                s3Latency.close();
            }
            if (s3 != null) {
                s3.close();
            }
            System.out.print(Files.readString(work.resolve("serve.log")).lines()
                    .filter(line -> line.contains("WARN") || line.contains("ERROR")).limit(20)
                    .map(line -> line + "\n").reduce("", String::concat));
        }
    }

    /** Counters of {@code series} hosts every 15 s (each increasing by its own rate, noisy) as hourly objects. */
    private static long write(Path raw, int series, long start, long end) throws IOException {
        Random random = new Random(20261001);
        double[] counters = new double[series];
        double[] rates = new double[series];
        for (int s = 0; s < series; s++) {
            rates[s] = 1 + random.nextInt(200);
        }
        long written = 0;
        for (long hour = start; hour < end; hour += 3_600_000) {
            Path file = raw.resolve(HOUR.format(Instant.ofEpochMilli(hour))).resolve("bench-1-" + hour + ".gz");
            Files.createDirectories(file.getParent());
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(
                    Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                for (long time = hour; time < hour + 3_600_000; time += STEP_MS) {
                    for (int s = 0; s < series; s++) {
                        counters[s] += Math.floor(rates[s] * 15 * (0.5 + random.nextDouble()));
                        out.write("{\"name\":\"bench_requests_total\",\"time\":" + (time + s * 37L) + ",\"value\":"
                                + counters[s] + ",\"labels\":{\"__name__\":\"bench_requests_total\",\"instance\":"
                                + "\"host-" + s + "\",\"job\":\"bench\",\"path\":\"/api/v" + (s % 4) + "\"}}\n");
                        written++;
                    }
                }
            }
        }
        return written;
    }

    /** Prometheus A's data: the days exported as OpenMetrics by the jar, then promtool's blocks of a day. */
    private static void backfill(Path raw, LocalDate first, LocalDate last, Path data, Path work) throws Exception {
        Path openMetrics = work.resolve("export.om");
        ArchiveCommand.Run export = ArchiveCommand.run(RestoreBenchmark.imageJvm("1g", ""), List.of("export", "--from",
                raw.toString(), "--out", openMetrics.toString(), "--tmp-dir", work.toString()), Map.of(),
                work.resolve("export.log"), Duration.ofMinutes(30));
        if (export.exit() != 0) {
            throw new IllegalStateException(export.log());
        }
        Files.createDirectories(data);
        Process promtool = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
                "--max-block-duration=24h", openMetrics.toString(), data.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("promtool.log").toFile()).start();
        if (!promtool.waitFor(30, TimeUnit.MINUTES) || promtool.exitValue() != 0) {
            throw new IllegalStateException(Files.readString(work.resolve("promtool.log")));
        }
        Files.delete(openMetrics);
    }

    private static Process prometheus(Path home, int port, String config, List<String> flags) throws IOException {
        Files.createDirectories(home.resolve("data"));
        Path file = home.resolve("prometheus.yml");
        Files.writeString(file, "global:\n  scrape_interval: 1h\n" + config + "\n");
        List<String> command = new ArrayList<>(List.of("/usr/bin/prometheus", "--config.file=" + file,
                "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--query.max-samples=100000000"));
        command.addAll(flags);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve("log").toFile())
                .start();
    }

    private record Timed(double firstSeconds, double medianSeconds, JsonNode answer, int series, long points) {
    }

    private static Timed timed(URI uri) throws Exception {
        double[] seconds = new double[6];
        JsonNode answer = null;
        for (int i = 0; i < seconds.length; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            seconds[i] = (System.nanoTime() - started) / 1e9;
            JsonNode parsed = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !parsed.path("warnings").isMissingNode()) {
                throw new IllegalStateException(uri + ": " + response.statusCode() + " " + response.body());
            }
            answer = parsed.get("data");
        }
        double[] rest = Arrays.copyOfRange(seconds, 1, seconds.length);
        Arrays.sort(rest);
        long points = 0;
        for (JsonNode one : answer.get("result")) {
            points += one.get("values").size();
        }
        return new Timed(seconds[0], rest[rest.length / 2], answer, answer.get("result").size(), points);
    }

    private static void waitFor(URI uri, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(uri + " not ready after " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
