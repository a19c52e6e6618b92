package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.compact.CompactCommand;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import io.github.promkinesis.read.CacheDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve-archive --from s3://...} with {@code READ_CACHE_DIR}, run as a user runs it, against s3rver behind a
 * proxy that counts its requests. Two days of random values (Parquet that does not compress: several 256 KiB blocks)
 * are asked for whole: the same query again answers the same bytes without one GET of the Parquet files; a day
 * compacted again is answered anew once it is seen (within a minute, as a new day is listed), never from its old
 * blocks; a restart reuses the blocks on disk; damaged and cut blocks are read again with the answers right; a
 * small {@code READ_CACHE_BYTES} keeps the directory under it with the answers right; bad settings stop the start.
 */
class ArchiveDiskCacheIT {

    private static final long START = Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();
    private static final long MIDNIGHT = START + Duration.ofDays(1).toMillis();
    private static final long END = MIDNIGHT + Duration.ofDays(1).toMillis() - 1;
    private static final long STEP = 15_000;
    private static final int SERIES = 24;
    private static final String BUCKET = "archive";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ReadRequest SAMPLES = RemoteRead.request(List.of(ReadRequest.ResponseType.SAMPLES),
            RemoteRead.query(START, END, RemoteRead.matcher(LabelMatcher.Type.EQ, "__name__", "load")));
    private static final ReadRequest STREAMED = RemoteRead.request(List.of(
            ReadRequest.ResponseType.STREAMED_XOR_CHUNKS), SAMPLES.getQueries(0));

    @TempDir
    static Path work;
    /** The archive's series: labels to samples (time to value bits), as first compacted and with the day again. */
    private static Map<Map<String, String>, TreeMap<Long, Long>> first;
    private static Map<Map<String, String>, TreeMap<Long, Long>> again;
    private static Path recompacted;
    private static long parquetBytes;
    private static S3rver s3;
    private static HoldingProxy proxy;

    @BeforeAll
    static void compactTwoDaysToS3() throws Exception {
        first = samples(START, END, 1);
        Path compacted = compact("first", first, "2026-11-27..2026-11-28");
        Map<Map<String, String>, TreeMap<Long, Long>> lateDay = samples(MIDNIGHT, END, 2);
        recompacted = compact("again", lateDay, "2026-11-28");
        again = new LinkedHashMap<>();
        first.forEach((labels, samples) -> {
            TreeMap<Long, Long> merged = new TreeMap<>(samples.headMap(MIDNIGHT));
            merged.putAll(lateDay.get(labels));
            again.put(labels, merged);
        });
        for (String day : List.of("dt=2026-11-27", "dt=2026-11-28")) {
            parquetBytes += Files.size(compacted.resolve(day).resolve("part-0.parquet"));
        }
        assertTrue(parquetBytes > 3 * (1 << 19), "the days are several blocks, half as much again as 1 MiB: "
                + parquetBytes);
        s3 = new S3rver();
        s3.client.createBucket(r -> r.bucket(BUCKET));
        s3.putDirectory(BUCKET, "compacted/", compacted);
        proxy = new HoldingProxy(URI.create(s3.endpoint()).getPort());
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aQueryAskedAgainMakesNoGetsADayCompactedAgainIsReadAnewAndARestartReusesTheBlocks() throws Exception {
        Path cache = work.resolve("cache");
        Server server = new Server("first", Map.of("READ_CACHE_DIR", cache.toString()));
        byte[] samples;
        byte[] streamed;
        try {
            long before = parquetGets();
            samples = answer(server, SAMPLES, first);
            streamed = streamed(server, first);
            long cold = parquetGets() - before;
            long atSecond = parquetGets();
            assertArrayEquals(samples, answer(server, SAMPLES, first), "SAMPLES: the same bytes again");
            assertArrayEquals(streamed, streamed(server, first), "STREAMED_XOR_CHUNKS: the same bytes again");
            long warm = parquetGets() - atSecond;
            System.out.printf("ArchiveDiskCacheIT: %d bytes of Parquet; GETs of it: %d for the first two queries,"
                    + " %d for the same two again; cache %s%n", parquetBytes, cold, warm, server.cacheMetrics());
            assertTrue(cold > 0, "the first queries read S3: " + proxy.requestLines);
            assertEquals(0, warm, "asked again, no GET of the Parquet files");
            Map<String, Double> metrics = server.cacheMetrics();
            assertTrue(metrics.get("hits_total") > 0 && metrics.get("misses_total") > 0, metrics.toString());
            assertEquals(CacheDirectory.bytes(cache), metrics.get("bytes").longValue(), "the gauge is the files' size");

            // the late day compacted again (new object, new ETag); seen once its blocks are confirmed, within a
            // minute: the request that finds it is 503, as without the cache, the next has the new samples
            long replacedAt = System.nanoTime();
            s3.putDirectory(BUCKET, "compacted/", recompacted);
            Thread.sleep(Math.max(0, Duration.ofSeconds(62).toMillis()
                    - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replacedAt)));
            long beforeAgain = proxy.requests("GET ", "2026-11-28/part-0.parquet");
            HttpResponse<byte[]> found = RemoteRead.post(HTTP, server.uri("/api/v1/read"), SAMPLES, Map.of());
            if (found.statusCode() == 503) {
                assertTrue(new String(found.body(), StandardCharsets.UTF_8).contains("replaced"),
                        new String(found.body(), StandardCharsets.UTF_8));
                found = RemoteRead.post(HTTP, server.uri("/api/v1/read"), SAMPLES, Map.of());
            }
            assertEquals(List.of(again), RemoteRead.samples(found).queries(), "the day compacted again, all of it");
            assertTrue(proxy.requests("GET ", "2026-11-28/part-0.parquet") > beforeAgain,
                    "the new day's file read from S3, not the old one's blocks");
            answer(server, STREAMED, again);
            server.stop();
        } finally {
            server.kill();
        }

        // a restart: every block the queries need is on disk
        Server restarted = new Server("restarted", Map.of("READ_CACHE_DIR", cache.toString()));
        try {
            long before = parquetGets();
            byte[] answered = answer(restarted, SAMPLES, again);
            answer(restarted, STREAMED, again);
            assertEquals(0, parquetGets() - before, "after a restart, no GET of the Parquet files");
            assertTrue(Files.readString(restarted.log).contains("reused"), Files.readString(restarted.log));

            // every block damaged: half cut short, half with a byte changed
            List<Path> blocks = CacheDirectory.files(cache);
            for (int i = 0; i < blocks.size(); i++) {
                try (RandomAccessFile block = new RandomAccessFile(blocks.get(i).toFile(), "rw")) {
                    if (i % 2 == 0) {
                        block.setLength(block.length() / 2);
                    } else {
                        block.seek(block.length() / 3);
                        int was = block.read();
                        block.seek(block.length() / 3);
                        block.write(was ^ 0x5a);
                    }
                }
            }
            long beforeDamaged = parquetGets();
            assertArrayEquals(answered, answer(restarted, SAMPLES, again), "damaged blocks: the same answer");
            long reread = parquetGets() - beforeDamaged;
            long beforeHealed = parquetGets();
            assertArrayEquals(answered, answer(restarted, SAMPLES, again));
            System.out.printf("ArchiveDiskCacheIT: %d blocks damaged, %d GETs to read them again, %d after%n",
                    blocks.size(), reread, parquetGets() - beforeHealed);
            assertTrue(reread > 0, "the damaged blocks read from S3 again");
            assertEquals(0, parquetGets() - beforeHealed, "and kept again");
            restarted.stop();
            String log = Files.readString(restarted.log);
            assertTrue(log.contains("damaged"), log);
            assertTrue(log.lines().noneMatch(line -> line.contains("ERROR")), log);
        } finally {
            restarted.kill();
        }
    }

    @Test
    void aSmallBoundKeepsTheDirectoryUnderItAndTheAnswersRight() throws Exception {
        Path cache = work.resolve("small-cache");
        long bound = 1 << 20;
        Server server = new Server("bounded", Map.of("READ_CACHE_DIR", cache.toString(),
                "READ_CACHE_BYTES", String.valueOf(bound)));
        try {
            // the late day as first compacted or again, whichever the other test left in S3
            Map<Map<String, String>, TreeMap<Long, Long>> expected = RemoteRead.samples(RemoteRead.post(HTTP,
                    server.uri("/api/v1/read"), SAMPLES, Map.of())).queries().get(0).equals(first) ? first : again;
            for (int round = 0; round < 2; round++) {
                answer(server, SAMPLES, expected);
                answer(server, STREAMED, expected);
                assertTrue(CacheDirectory.bytes(cache) <= bound, CacheDirectory.bytes(cache) + " bytes in " + cache);
            }
            Map<String, Double> metrics = server.cacheMetrics();
            System.out.printf("ArchiveDiskCacheIT: READ_CACHE_BYTES %d, %d bytes of Parquet read: %d bytes in %d"
                    + " files on disk; %s%n", bound, parquetBytes, CacheDirectory.bytes(cache), CacheDirectory.files(cache).size(), metrics);
            assertEquals(CacheDirectory.bytes(cache), metrics.get("bytes").longValue());
            assertTrue(CacheDirectory.bytes(cache) > bound / 2, "the cache is used: " + CacheDirectory.bytes(cache));
            server.stop();
        } finally {
            server.kill();
        }
    }

    @Test
    void aBadCacheSettingStopsTheStartWithOneLine() throws Exception {
        Path file = Files.writeString(work.resolve("a-file"), "not a directory");
        Map<String, String> said = new LinkedHashMap<>();
        said.put("READ_CACHE_BYTES=1GiB", "serve-archive: READ_CACHE_BYTES=1GiB is not allowed: use a whole number"
                + " from 1048576");
        said.put("READ_CACHE_DIR=" + file.resolve("cache"), "serve-archive: READ_CACHE_DIR=" + file.resolve("cache")
                + " is not allowed: use a directory this process can write, or make");
        int run = 0;
        for (Map.Entry<String, String> setting : said.entrySet()) {
            String[] pair = setting.getKey().split("=", 2);
            ArchiveCommand.Run refused = ArchiveCommand.run(List.of(), List.of("serve-archive", "--from",
                    "s3://" + BUCKET + "/compacted"), Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT",
                    String.valueOf(Ports.free()), pair[0], pair[1]), Path.of("target/it-logs/ArchiveDiskCacheIT-refused-"
                    + run++ + ".log"), Duration.ofSeconds(60));
            assertEquals(2, refused.exit(), refused.log());
            assertEquals(1, refused.log().lines().count(), refused.log());
            assertTrue(refused.log().startsWith(setting.getValue()), refused.log());
        }
    }

    /** The SAMPLES or STREAMED_XOR_CHUNKS answer, checked against {@code expected}; its bytes. */
    private static byte[] answer(Server server, ReadRequest request, Map<Map<String, String>, TreeMap<Long, Long>>
            expected) throws Exception {
        HttpResponse<byte[]> answered = RemoteRead.post(HTTP, server.uri("/api/v1/read"), request, Map.of());
        RemoteRead.Answer answer = request == STREAMED ? RemoteRead.streamed(answered, 1) : RemoteRead.samples(answered);
        assertEquals(List.of(expected), answer.queries(), server.name);
        return answered.body();
    }

    private static byte[] streamed(Server server, Map<Map<String, String>, TreeMap<Long, Long>> expected)
            throws Exception {
        return answer(server, STREAMED, expected);
    }

    private static long parquetGets() {
        // the key's '=' is %3D on the wire
        return proxy.requests("GET /" + BUCKET + "/compacted/dt", "/part-0.parquet");
    }

    /** {@code SERIES} series of random values (Parquet cannot make them smaller) every 15 s in [from, to]. */
    private static Map<Map<String, String>, TreeMap<Long, Long>> samples(long from, long to, long seed) {
        Map<Map<String, String>, TreeMap<Long, Long>> series = new LinkedHashMap<>();
        for (int instance = 0; instance < SERIES; instance++) {
            Random random = new Random(seed * 1000 + instance);
            TreeMap<Long, Long> samples = new TreeMap<>();
            for (long time = from + instance * 7; time <= to; time += STEP) {
                samples.put(time, Double.doubleToRawLongBits(random.nextDouble() * 1000));
            }
            series.put(new TreeMap<>(Map.of("__name__", "load", "instance", "i" + instance, "job", "api")), samples);
        }
        return series;
    }

    /** The samples as Firehose's hourly objects of JSON lines, compacted in this JVM to a directory. */
    private static Path compact(String name, Map<Map<String, String>, TreeMap<Long, Long>> series, String days)
            throws Exception {
        Path raw = work.resolve("raw-" + name);
        Map<String, StringBuilder> hours = new TreeMap<>();
        series.forEach((labels, samples) -> samples.forEach((time, bits) -> hours.computeIfAbsent(
                HOUR.format(Instant.ofEpochMilli(time)), hour -> new StringBuilder()).append("{\"name\":\"load\","
                + "\"time\":").append(time).append(",\"value\":").append(Double.longBitsToDouble(bits))
                .append(",\"labels\":{\"__name__\":\"load\",\"instance\":\"").append(labels.get("instance"))
                .append("\",\"job\":\"api\"}}\n")));
        for (Map.Entry<String, StringBuilder> hour : hours.entrySet()) {
            Path object = Files.createDirectories(raw.resolve(hour.getKey())).resolve("metrics-archive-1");
            try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(object))) {
                out.write(hour.getValue().toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        Path compacted = work.resolve("compacted-" + name);
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        assertEquals(0, CompactCommand.run(List.of("--from", raw.toString(), "--to", compacted.toString(), "--day",
                days, "--tmp-dir", Files.createDirectories(work.resolve("runs")).toString()),
                RestoreSettings.read(SettingsSource.environmentOnly(Map.of())), new PrintStream(said, true)),
                said.toString());
        return compacted;
    }

    /** {@code serve-archive --from s3://archive/compacted} through the counting proxy, with these settings. */
    private static final class Server {
        private static final Pattern CACHE_METRIC = Pattern.compile(
                "(?m)^prometheus_remote_kinesis_read_cache_(\\w+) (\\S+)$");
        final String name;
        final int port = Ports.free();
        final Path log;
        final Process process;

        Server(String name, Map<String, String> settings) throws Exception {
            this.name = name;
            Map<String, String> env = new LinkedHashMap<>(settings);
            env.putAll(Map.of("S3_ENDPOINT", proxy.endpoint(), "AWS_ACCESS_KEY_ID", S3rver.KEY,
                    "AWS_SECRET_ACCESS_KEY", S3rver.KEY, "AWS_REGION", "us-east-1", "HTTP_HOST", "127.0.0.1",
                    "HTTP_PORT", String.valueOf(port)));
            log = Path.of("target/it-logs/ArchiveDiskCacheIT-" + name + ".log");
            process = ArchiveCommand.start(List.of(), List.of("serve-archive", "--from", "s3://" + BUCKET
                    + "/compacted"), env, log);
            RemoteRead.awaitHealth(HTTP, uri("/observe/health"), process, log, Duration.ofSeconds(60));
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        /** prometheus_remote_kinesis_read_cache_*: hits_total, misses_total, bytes. */
        Map<String, Double> cacheMetrics() throws Exception {
            String text = HTTP.send(HttpRequest.newBuilder(uri("/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> metrics = new TreeMap<>();
            for (Matcher metric = CACHE_METRIC.matcher(text); metric.find(); ) {
                metrics.put(metric.group(1), Double.parseDouble(metric.group(2)));
            }
            assertEquals(List.of("bytes", "hits_total", "misses_total"), new ArrayList<>(metrics.keySet()), text);
            return metrics;
        }

        void stop() throws Exception {
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), name + ": still running 10 s after SIGTERM");
            assertEquals(0, process.exitValue(), Files.readString(log));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }
}
