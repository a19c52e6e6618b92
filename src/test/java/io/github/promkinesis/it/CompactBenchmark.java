package io.github.promkinesis.it;

import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.restore.ArchiveObjects;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes a float sample takes at rest (docs/benchmarks.md, "Compact"), by hand, not in CI: a day of
 * {@link FirehoseArchive} (a fleet scraped every 15 s, 4 shards, a shard 2 h late, duplicates, resent data, gzip
 * records) compacted by the jar, run with the image's JVM flags in a container's memory as RestoreBenchmark runs
 * restore (G1, 2 MiB regions, half the memory as heap); the day's Parquet file against the same day's lines (each
 * once, read back from it) gzipped as one stream (Firehose's GZIP) and the raw objects the day's hours hold. The
 * file's SHA-256 is printed: the same archive must compact to the same bytes, run after run and change after change.
 *
 * <pre>mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.github.promkinesis.it.CompactBenchmark series=300 \
 *   memory=1g [jvm="-XX:StartFlightRecording=filename=compact.jfr,settings=profile"]</pre>
 */
public final class CompactBenchmark {

    private static final String DAY = "2026-11-27";

    private CompactBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("series", "300", "memory", "1g", "jvm", ""));
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        long dayStart = Instant.parse(DAY + "T00:00:00Z").toEpochMilli();
        long dayEnd = dayStart + Duration.ofDays(1).toMillis() - 1;
        Path work = Files.createTempDirectory("compact-bench");
        Path raw = Files.createDirectory(work.resolve("archive"));
        FirehoseArchive.Written archive = new FirehoseArchive(20261127).series(Integer.parseInt(options.get("series")))
                .span(Duration.ofHours(26)).end(dayEnd + 1 + Duration.ofHours(2).toMillis()).plainRecords(0)
                .write(raw);
        long floatSamples = archive.points().filter(p -> p.time() >= dayStart && p.time() <= dayEnd).count();
        System.out.println("CompactBenchmark: " + archive);
        long rawBytes = 0;
        try (Stream<Path> files = Files.walk(raw.resolve("2026/11/27"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                rawBytes += Files.size(file);
            }
        }
        Path compacted = work.resolve("compacted");
        long started = System.nanoTime();
        ArchiveCommand.Run run = ArchiveCommand.run(RestoreBenchmark.imageJvm(options.get("memory"), options.get("jvm")),
                List.of("compact", "--from", raw.toString(), "--to", compacted.toString(), "--day", DAY, "--tmp-dir",
                        work.toString()),
                Map.of(), work.resolve("compact.log"), Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (run.exit() != 0) {
            throw new IllegalStateException(run.log());
        }
        Path file = compacted.resolve("dt=" + DAY + "/part-0.parquet");
        long parquet = Files.size(file);
        long jsonGzip = jsonGzipped(file);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        try (Stream<Path> files = Files.walk(work)) {
            for (Path left : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(left);
            }
        }
        System.out.print(run.log());
        System.out.printf(Locale.ROOT, "CompactBenchmark: %d float samples in the day; compacted %d bytes (%.2f a"
                        + " sample, SHA-256 %s) in %.1f s (%.0f samples/s, JVM start included; CPU %.2f us a sample),"
                        + " peak RSS %d MB (MaxRAM %s); the day's lines"
                        + " gzipped %d bytes (%.2f a sample); the day's raw objects (gzip records, late data and"
                        + " duplicates included) %d bytes (%.2f a sample)%n", floatSamples, parquet,
                (double) parquet / floatSamples, sha256, seconds, floatSamples / seconds,
                (double) run.cpuMicros() / floatSamples, run.peakRssMegabytes(), options.get("memory"), jsonGzip,
                (double) jsonGzip / floatSamples, rawBytes, (double) rawBytes / floatSamples);
    }

    /** The compacted day's lines, read back as restore reads them, in one gzip stream (level 6, Firehose's). */
    private static long jsonGzipped(Path file) throws Exception {
        RestoreSettings settings = RestoreSettings.read(SettingsSource.environmentOnly(Map.of()));
        ArchiveObjects archive = ArchiveObjects.at(file.toString(), settings, null, new LongAdder(), file.getParent());
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (InputStream lines = archive.open(file.toString()); OutputStream out = new GZIPOutputStream(gzipped)) {
            lines.transferTo(out);
        }
        return gzipped.size();
    }
}
