package io.github.promkinesis.it;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpServer;
import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.Snappy;

/**
 * The restore's load run (docs/benchmarks.md), by hand, not in CI: an archive restored by the jar, run with the
 * image's JVM flags in a container's memory (G1, 2 MiB regions, half the memory as heap), into a loopback receiver
 * that walks every request's protobuf and counts its samples; the time is from the process' start to its exit, ordering
 * included. Prints samples/s, CPU per sample, peak RSS of the restore process and the restore's summary (disk
 * used by its sorted runs). {@code archive=firehose} (default): {@link FirehoseArchive}, a fleet scraped every
 * 15 s for 6 h, as a real Firehose lays it out from 4 shards (out of order, a shard 2 h late, duplicates,
 * resent data), sized to about {@code samples}; {@code archive=new-series}: objects of requests whose every series
 * is new, the worst case for the readers' caches.
 *
 * <pre>mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.github.promkinesis.it.RestoreBenchmark \
 *   samples=2400000 memory=512m [archive=new-series] [jvm="-XX:StartFlightRecording=filename=restore.jfr,settings=profile"]</pre>
 */
public final class RestoreBenchmark {

    /**
     * The image's JAVA_TOOL_OPTIONS (Dockerfile) in a container of {@code memory}, then {@code extra} (space
     * separated, e.g. a flight recording to profile).
     */
    static List<String> imageJvm(String memory, String extra) {
        List<String> options = new ArrayList<>(List.of("-XX:MaxRAM=" + memory, "-XX:+UseG1GC", "-XX:G1HeapRegionSize=2m",
                "-XX:MaxRAMPercentage=50"));
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split(" ")));
        }
        return options;
    }

    /** WriteRequest.timeseries and TimeSeries.samples as protobuf tags (field number, length-delimited). */
    private static final int TIMESERIES = 1 << 3 | 2;
    private static final int SAMPLES = 2 << 3 | 2;
    /** Scrapes of a series in the Firehose archive: 6 h at 15 s. */
    private static final int SCRAPES = 6 * 240;

    private RestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args, Map.of("samples", "2400000", "memory", "512m", "concurrency", "4",
                "jvm", "", "archive", "firehose"));
        int samples = Integer.parseInt(options.get("samples"));
        Path archive = Files.createTempDirectory("restore-bench");
        long archiveBytes;
        long expected;
        if (options.get("archive").equals("firehose")) {
            FirehoseArchive.Written written = new FirehoseArchive(1).series(Math.max(1, samples / SCRAPES))
                    .end(System.currentTimeMillis()).write(archive);
            System.out.println("archive: " + written);
            archiveBytes = written.bytes;
            expected = written.samples();
        } else {
            archiveBytes = writeArchive(archive, samples);
            expected = samples / 2000 * 2000L;
        }

        LongAdder received = new LongAdder();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext("/api/v1/write", exchange -> {
            received.add(samples(Snappy.uncompress(exchange.getRequestBody().readAllBytes())));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        var threads = Executors.newFixedThreadPool(4);
        receiver.setExecutor(threads);
        receiver.start();
        Path log = Files.createTempFile("restore-bench", ".log");
        try {
            long started = System.nanoTime();
            List<String> command = Adapter.java(imageJvm(options.get("memory"), options.get("jvm"))
                    .toArray(String[]::new));
            command.addAll(List.of("-jar", Adapter.JAR.toAbsolutePath().toString(), "restore", "--from",
                    archive.toString(), "--to", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write",
                    "--concurrency", options.get("concurrency")));
            Process restore = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LoadBenchmark.Usage usage = LoadBenchmark.watch(restore, Duration.ofDays(1));
            long cpuMicros = usage.cpuMicros();
            long peakRss = usage.peakRssMegabytes();
            double seconds = (System.nanoTime() - started) / 1e9;
            Files.readAllLines(log).stream().filter(line -> line.startsWith("restore: objects")).forEach(System.out::println);
            System.out.printf(Locale.ROOT, "restore: exit %d, %d of %d samples received in %.1f s: %.0f samples/s | CPU"
                            + " %.2f us/sample | peak RSS %d MB (MaxRAM %s) | archive %.1f MB%n", restore.exitValue(),
                    received.sum(), expected, seconds, received.sum() / seconds,
                    (double) cpuMicros / Math.max(1, received.sum()), peakRss, options.get("memory"), archiveBytes / 1e6);
        } finally {
            receiver.stop(0);
            threads.shutdownNow();
            Files.delete(log);
            try (var files = Files.walk(archive)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /** A benchmark's name=value arguments over its defaults. */
    static Map<String, String> options(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new HashMap<>(defaults);
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }

    /**
     * The samples of a WriteRequest, its protobuf walked without making an object of it: the receiver takes its
     * requests as fast as it can, on the same two cores, so the figure is the restore's.
     */
    private static long samples(byte[] writeRequest) throws IOException {
        CodedInputStream request = CodedInputStream.newInstance(writeRequest);
        long samples = 0;
        for (int tag; (tag = request.readTag()) != 0; ) {
            if (tag != TIMESERIES) {
                request.skipField(tag);
                continue;
            }
            int outer = request.pushLimit(request.readRawVarint32());
            for (int field; (field = request.readTag()) != 0; ) {
                samples += field == SAMPLES ? 1 : 0;
                request.skipField(field);
            }
            request.popLimit(outer);
        }
        return samples;
    }

    /** Objects of 100 requests of 2,000 samples each, gzip as Firehose writes them. */
    private static long writeArchive(Path archive, int samples) throws Exception {
        JsonLineWriter encoder = ShippedDefaults.encoder();
        Random random = new Random(1);
        int requests = samples / 2000;
        long bytes = 0;
        for (int object = 0; object * 100 < requests; object++) {
            Path file = archive.resolve(String.format("stream-%05d", object));
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
                for (int i = object * 100; i < Math.min(requests, object * 100 + 100); i++) {
                    JsonLines lines = encoder.toJsonLines(LoadGenerator.request(random, i, 2000, 1, 10));
                    ByteBuffer all = lines.slice(0, lines.size());
                    out.write(all.array(), all.arrayOffset() + all.position(), all.remaining());
                }
            }
            bytes += Files.size(file);
        }
        return bytes;
    }
}
