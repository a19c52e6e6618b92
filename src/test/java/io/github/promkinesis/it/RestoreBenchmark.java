package io.github.promkinesis.it;

import com.sun.net.httpserver.HttpServer;
import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.encoding.JsonLines;
import io.github.promkinesis.encoding.WriteRequestToJsonLines;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The restore's load run (docs/benchmarks.md), by hand, not in CI: an archive of gzip objects of
 * Prometheus-shaped lines (2,000 series of 10 labels a request, as the load benchmark sends) restored by the
 * jar into a loopback receiver that decodes every request and counts its samples. Prints samples/s, CPU per
 * sample and peak RSS of the restore process.
 *
 * <pre>mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.github.promkinesis.it.RestoreBenchmark \
 *   samples=4000000 heap=256m [jvm="-XX:StartFlightRecording=filename=restore.jfr,settings=profile"]</pre>
 */
public final class RestoreBenchmark {

    private RestoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("samples", "4000000", "heap", "256m", "concurrency", "4",
                "jvm", ""));
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int samples = Integer.parseInt(options.get("samples"));
        Path archive = Files.createTempDirectory("restore-bench");
        long archiveBytes = writeArchive(archive, samples);

        LongAdder received = new LongAdder();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext("/api/v1/write", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            WriteRequest request = WriteRequest.parseFrom(Snappy.uncompress(body));
            request.getTimeseriesList().forEach(series -> received.add(series.getSamplesCount()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        var threads = Executors.newFixedThreadPool(4);
        receiver.setExecutor(threads);
        receiver.start();
        try {
            long started = System.nanoTime();
            List<String> command = Adapter.java("-Xmx" + options.get("heap"));
            if (!options.get("jvm").isEmpty()) {
                command.addAll(List.of(options.get("jvm").split(" "))); // e.g. a flight recording to profile
            }
            command.addAll(List.of("-jar", Adapter.JAR.toAbsolutePath().toString(), "restore", "--from",
                    archive.toString(), "--to", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write",
                    "--concurrency", options.get("concurrency")));
            Process restore = new ProcessBuilder(command).inheritIO().start();
            LoadBenchmark.Usage usage = LoadBenchmark.watch(restore, Duration.ofDays(1));
            long cpuMicros = usage.cpuMicros();
            long peakRss = usage.peakRssMegabytes();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "restore: exit %d, %d samples received in %.1f s: %.0f samples/s | CPU %.2f us/sample"
                            + " | peak RSS %d MB (-Xmx%s) | archive %.1f MB gzip%n", restore.exitValue(), received.sum(),
                    seconds, received.sum() / seconds, (double) cpuMicros / Math.max(1, received.sum()), peakRss,
                    options.get("heap"), archiveBytes / 1e6);
        } finally {
            receiver.stop(0);
            threads.shutdownNow();
            try (var files = Files.list(archive)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(archive);
        }
    }

    /** Objects of 100 requests of 2,000 samples each, gzip as Firehose writes them. */
    private static long writeArchive(Path archive, int samples) throws Exception {
        WriteRequestToJsonLines encoder = ShippedDefaults.encoder();
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
