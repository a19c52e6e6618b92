package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve-archive} run as a user runs it, over two days that the jar's {@code compact} wrote once to a
 * directory and once to S3 (s3rver: path-style, no aws-chunked uploads): the same remote-read requests, SAMPLES and
 * STREAMED_XOR_CHUNKS, get the same bytes from {@code --from DIRECTORY} and from {@code --from s3://BUCKET/PREFIX}
 * (the days listed with a delimiter, the series index read whole, the Parquet pages by ranged GETs), and those hold
 * exactly the samples written, a staleness marker across midnight included. A bad command line is exit 2 with
 * one line; SIGTERM is exit 0 within seconds.
 */
class ServeArchiveS3IT {

    private static final long START = Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();
    private static final long END = START + Duration.ofDays(2).toMillis() - 1;
    private static final long MIDNIGHT = START + Duration.ofDays(1).toMillis();
    /** 8 series every 15 s: 46,080 rows a day, more than one Parquet page (20,000 rows) a column. */
    private static final long STEP = 15_000;
    private static final String BUCKET = "archive";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH")
            .withZone(ZoneOffset.UTC);

    @TempDir
    static Path work;
    /** What the archive holds: labels (sorted by name) to samples, time to value bits. */
    private static final Map<Map<String, String>, TreeMap<Long, Long>> WRITTEN = new LinkedHashMap<>();
    private static Path compacted;
    private static S3rver s3;

    @BeforeAll
    static void compactToADirectoryAndToS3() throws Exception {
        Path raw = work.resolve("raw");
        Map<String, List<String>> hours = new TreeMap<>();
        for (String name : List.of("req_total", "up")) {
            for (int instance = 0; instance < (name.equals("up") ? 2 : 6); instance++) {
                Map<String, String> labels = new TreeMap<>(Map.of("__name__", name, "job", "api",
                        "instance", "i" + instance));
                TreeMap<Long, Long> samples = new TreeMap<>();
                double counter = 0;
                for (long time = START + instance * 11; time <= END; time += STEP) {
                    // req_total{instance="i1"} goes stale at 23:30 and comes back at 00:30 the next day
                    long sinceStale = time - (MIDNIGHT - 1_800_000);
                    if (name.equals("req_total") && instance == 1 && sinceStale >= 0 && sinceStale < 3_600_000) {
                        if (sinceStale < STEP) {
                            samples.put(time, JsonLineWriter.STALE_NAN_BITS);
                        }
                        continue;
                    }
                    counter = name.equals("up") ? 1 : counter + (time / STEP % 5) * 0.75 + instance;
                    samples.put(time, Double.doubleToRawLongBits(counter));
                }
                WRITTEN.put(labels, samples);
                for (Map.Entry<Long, Long> sample : samples.entrySet()) {
                    double value = Double.longBitsToDouble(sample.getValue());
                    hours.computeIfAbsent(HOUR.format(Instant.ofEpochMilli(sample.getKey())), h -> new ArrayList<>())
                            .add("{\"name\":\"" + name + "\",\"time\":" + sample.getKey() + ",\"value\":"
                                    + (Double.isNaN(value) ? "\"NaN\",\"stale\":true" : String.valueOf(value))
                                    + ",\"labels\":{\"__name__\":\"" + name + "\",\"instance\":\"i" + instance
                                    + "\",\"job\":\"api\"}}");
                }
            }
        }
        for (Map.Entry<String, List<String>> hour : hours.entrySet()) {
            Path object = Files.createDirectories(raw.resolve(hour.getKey())).resolve("metrics-archive-1");
            try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(object))) {
                out.write((String.join("\n", hour.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        compacted = work.resolve("compacted");
        ArchiveCommand.Run toDirectory = compact("directory", raw, compacted.toString(), Map.of());
        s3 = new S3rver();
        s3.client.createBucket(r -> r.bucket(BUCKET));
        ArchiveCommand.Run toS3 = compact("s3", raw, "s3://" + BUCKET + "/compacted", s3Env());
        ArchiveCommand.assertClean(toDirectory);
        ArchiveCommand.assertClean(toS3);
        for (String day : List.of("dt=2026-11-27", "dt=2026-11-28")) {
            for (String file : List.of("part-0.parquet", "_series.json.gz")) {
                assertArrayEquals(Files.readAllBytes(compacted.resolve(day).resolve(file)), s3.client
                        .getObjectAsBytes(r -> r.bucket(BUCKET).key("compacted/" + day + "/" + file)).asByteArray(),
                        day + "/" + file + " the same in S3 as in the directory");
            }
        }
    }

    @AfterAll
    static void stopS3() throws InterruptedException {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aDirectoryAndS3AnswerTheSameBytesHoldingEverySampleWrittenAndSigtermStopsBoth() throws Exception {
        LabelMatcher reqTotal = RemoteRead.matcher(LabelMatcher.Type.EQ, "__name__", "req_total");
        long nightFrom = MIDNIGHT - 2 * 3_600_000;
        long nightTo = MIDNIGHT + 2 * 3_600_000;
        // the whole of both days; around midnight, across the staleness marker; before the archive
        var queries = new io.github.promkinesis.protocol.prompb.Query[] {
                RemoteRead.query(START, END, reqTotal),
                RemoteRead.query(nightFrom, nightTo,
                        RemoteRead.matcher(LabelMatcher.Type.RE, "__name__", "req_total|up"),
                        RemoteRead.matcher(LabelMatcher.Type.RE, "instance", "i[01]")),
                RemoteRead.query(START - Duration.ofDays(30).toMillis(), START - 1,
                        RemoteRead.matcher(LabelMatcher.Type.EQ, "job", "api"))};
        List<Map<Map<String, String>, TreeMap<Long, Long>>> expected = List.of(
                expected(START, END, labels -> labels.get("__name__").equals("req_total")),
                expected(nightFrom, nightTo, labels -> labels.get("instance").matches("i[01]")),
                Map.of());
        assertTrue(expected.get(1).get(Map.of("__name__", "req_total", "instance", "i1", "job", "api"))
                .containsValue(JsonLineWriter.STALE_NAN_BITS), "the staleness marker is among the samples asked for");
        ReadRequest samples = RemoteRead.request(List.of(ReadRequest.ResponseType.SAMPLES), queries);
        ReadRequest streamed = RemoteRead.request(List.of(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS,
                ReadRequest.ResponseType.SAMPLES), queries);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String> env = new LinkedHashMap<>(s3Env());
        env.put("AWS_REGION", "us-east-1");
        env.put("HTTP_HOST", "127.0.0.1");
        List<Server> servers = List.of(new Server("directory", compacted.toString(), env),
                new Server("s3", "s3://" + BUCKET + "/compacted", env));
        try {
            for (Server server : servers) {
                RemoteRead.awaitHealth(http, server.uri("/observe/health"), server.process, server.log,
                        Duration.ofSeconds(60));
            }
            List<byte[]> samplesBodies = new ArrayList<>();
            List<byte[]> streamedBodies = new ArrayList<>();
            for (Server server : servers) {
                HttpResponse<byte[]> samplesAnswer = RemoteRead.post(http, server.uri("/api/v1/read"), samples,
                        Map.of());
                HttpResponse<byte[]> streamedAnswer = RemoteRead.post(http, server.uri("/api/v1/read"), streamed,
                        Map.of());
                assertAll(server.name,
                        () -> assertEquals(expected, RemoteRead.samples(samplesAnswer).queries(), "SAMPLES"),
                        () -> assertEquals(expected, RemoteRead.streamed(streamedAnswer, queries.length).queries(),
                                "STREAMED_XOR_CHUNKS"),
                        () -> assertEquals(List.of(List.copyOf(expected.get(0).keySet()),
                                List.copyOf(expected.get(1).keySet())), RemoteRead.samples(samplesAnswer).queries()
                                .subList(0, 2).stream().map(query -> List.copyOf(query.keySet())).toList(),
                                "series in label order"));
                samplesBodies.add(samplesAnswer.body());
                streamedBodies.add(streamedAnswer.body());
            }
            System.out.printf("ServeArchiveS3IT: SAMPLES %d bytes, STREAMED_XOR_CHUNKS %d bytes, %d samples%n",
                    samplesBodies.get(0).length, streamedBodies.get(0).length, expected.stream()
                            .flatMap(query -> query.values().stream()).mapToInt(TreeMap::size).sum());
            assertTrue(samplesBodies.get(0).length > 0 && streamedBodies.get(0).length > 0, "answers not empty");
            assertArrayEquals(samplesBodies.get(0), samplesBodies.get(1), "SAMPLES: the same bytes from S3");
            assertArrayEquals(streamedBodies.get(0), streamedBodies.get(1), "STREAMED_XOR_CHUNKS: the same bytes from S3");

            for (Server server : servers) {
                long asked = System.nanoTime();
                server.process.destroy();
                boolean ended = server.process.waitFor(10, TimeUnit.SECONDS);
                double seconds = (System.nanoTime() - asked) / 1e9;
                String log = Files.readString(server.log);
                assertTrue(ended, server.name + ": still running 10 s after SIGTERM:\n" + log);
                System.out.printf("ServeArchiveS3IT: %s exited %d %.1f s after SIGTERM%n", server.name,
                        server.process.exitValue(), seconds);
                assertEquals(0, server.process.exitValue(), server.name + ": " + log);
                assertTrue(log.lines().noneMatch(line -> line.contains("ERROR")), server.name + ": " + log);
            }
        } finally {
            for (Server server : servers) {
                server.process.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aBadCommandLineIsExitTwoWithOneLineSayingWhy() throws Exception {
        String missing = work.resolve("no-such-directory").toString();
        Map<List<String>, String> said = new LinkedHashMap<>();
        said.put(List.of(), "serve-archive: --from is required: the compacted days, a directory or s3://BUCKET/PREFIX");
        said.put(List.of("--from", missing), "serve-archive: --from " + missing + ": no such directory");
        said.put(List.of("--from", compacted.toString(), "--port", "9501"), "serve-archive: unknown option --port");
        said.put(List.of("--form", compacted.toString()), "serve-archive: unknown option --form");
        said.put(List.of("--from"), "serve-archive: --from needs a value");
        said.put(List.of("--from", "s3:///compacted"), "serve-archive: --from s3:///compacted: no bucket");
        int run = 0;
        for (Map.Entry<List<String>, String> options : said.entrySet()) {
            List<String> arguments = new ArrayList<>(List.of("serve-archive"));
            arguments.addAll(options.getKey());
            ArchiveCommand.Run refused = ArchiveCommand.run(List.of(), arguments, Map.of("HTTP_HOST", "127.0.0.1",
                    "HTTP_PORT", String.valueOf(Ports.free())), Path.of("target/it-logs/ServeArchiveS3IT-refused-"
                    + run++ + ".log"), Duration.ofSeconds(60));
            assertEquals(2, refused.exit(), arguments + ": " + refused.log());
            assertEquals(1, refused.log().lines().count(), arguments + ": one line: " + refused.log());
            assertTrue(refused.log().startsWith(options.getValue()), arguments + ": " + refused.log());
        }
    }

    private static Map<Map<String, String>, TreeMap<Long, Long>> expected(long from, long to,
            Predicate<Map<String, String>> which) {
        Map<Map<String, String>, TreeMap<Long, Long>> expected = new TreeMap<>(
                java.util.Comparator.comparing(Map::toString));
        WRITTEN.forEach((labels, samples) -> {
            if (which.test(labels)) {
                expected.put(labels, new TreeMap<>(samples.subMap(from, true, to, true)));
            }
        });
        return new LinkedHashMap<>(expected);
    }

    private static Map<String, String> s3Env() {
        return Map.of("S3_ENDPOINT", s3.endpoint(), "AWS_ACCESS_KEY_ID", S3rver.KEY,
                "AWS_SECRET_ACCESS_KEY", S3rver.KEY);
    }

    private static ArchiveCommand.Run compact(String name, Path raw, String to, Map<String, String> env)
            throws Exception {
        return ArchiveCommand.run(List.of(), List.of("compact", "--from", raw.toString(), "--to", to, "--day",
                        "2026-11-27..2026-11-28", "--tmp-dir", Files.createDirectories(work.resolve("runs")).toString()),
                env, Path.of("target/it-logs/ServeArchiveS3IT-compact-" + name + ".log"), Duration.ofMinutes(2));
    }

    /** {@code serve-archive --from FROM} as a process on a free port of 127.0.0.1. */
    /** S3 that answers nothing for a minute: the start's warm-up gives up waiting, and health answers meanwhile. */
    @Test
    void aSlowS3DoesNotHoldTheStart() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (HoldingProxy slow = new HoldingProxy(URI.create(s3.endpoint()).getPort())) {
            slow.delayMillis = 60_000;
            Map<String, String> env = new LinkedHashMap<>(s3Env());
            env.put("S3_ENDPOINT", slow.endpoint());
            env.put("AWS_REGION", "us-east-1");
            env.put("HTTP_HOST", "127.0.0.1");
            Server server = new Server("slow-s3", "s3://" + BUCKET + "/compacted", env);
            try {
                long started = System.nanoTime();
                RemoteRead.awaitHealth(http, server.uri("/observe/health"), server.process, server.log,
                        Duration.ofSeconds(40));
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("ServeArchiveS3IT: health %.1f s after the start with S3 answering nothing%n",
                        seconds);
                assertTrue(Files.readString(server.log).contains("Warm-up: still reading"),
                        Files.readString(server.log));
            } finally {
                server.process.destroyForcibly().waitFor();
            }
        }
    }

    private static final class Server {
        final String name;
        final int port = Ports.free();
        final Path log;
        final Process process;

        Server(String name, String from, Map<String, String> env) throws Exception {
            this.name = name;
            Map<String, String> settings = new LinkedHashMap<>(env);
            settings.put("HTTP_PORT", String.valueOf(port));
            log = Path.of("target/it-logs/ServeArchiveS3IT-serve-" + name + ".log");
            process = ArchiveCommand.start(List.of(), List.of("serve-archive", "--from", from), settings, log);
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }
}
