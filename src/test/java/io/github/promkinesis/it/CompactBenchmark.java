package io.github.promkinesis.it;

import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.restore.ArchiveObjects;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes a float sample takes at rest (docs/benchmarks.md, "Compact"), by hand, not in CI, on two data sets: a day
 * of {@link FirehoseArchive} ({@code data=generator}: a fleet scraped every 15 s, 4 shards, a shard 2 h late,
 * duplicates, resent data, gzip records) or {@code minutes} of a real Prometheus scraping itself and the adapter
 * ({@code data=prometheus}, {@link PrometheusArchive}), compacted by the jar; the days' Parquet files against the
 * same days' lines (each once, read back from them) gzipped as one stream (Firehose's GZIP) and the raw objects the
 * days' hours hold. The compaction runs with the image's JVM flags in a container's memory, as RestoreBenchmark runs
 * restore; the files' SHA-256 is printed: the same archive must compact to the same bytes, run after run and change
 * after change.
 *
 * <pre>mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.github.promkinesis.it.CompactBenchmark series=300 \
 *   memory=1g [jvm="-XX:StartFlightRecording=filename=compact.jfr,settings=profile"]
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.github.promkinesis.it.CompactBenchmark data=prometheus minutes=10</pre>
 * {@code duckdb=true} also writes the days with DuckDB's COPY, for comparison. {@code archive=DIR} keeps the
 * generated archive in DIR and compacts the one there on later runs; {@code gzip=false} leaves out the lines
 * gzipped (a day of hundreds of millions of samples).
 */
public final class CompactBenchmark {

    private static final String DAY = "2026-11-27";

    private CompactBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = RestoreBenchmark.options(args, Map.of("data", "generator", "series", "300",
                "minutes", "5", "memory", "1g", "jvm", "", "gzip", "true"));
        Path work = Files.createTempDirectory("compact-bench");
        // archive=DIR: the generated archive kept there, and used again when the directory holds one
        Path raw = options.containsKey("archive") ? Files.createDirectories(Path.of(options.get("archive")))
                : Files.createDirectory(work.resolve("archive"));
        LocalDate first;
        LocalDate last;
        if (options.get("data").equals("prometheus")) {
            PrometheusArchive.Recorded recorded = PrometheusArchive.record(
                    Duration.ofMinutes(Long.parseLong(options.get("minutes"))), raw);
            System.out.println("CompactBenchmark: " + recorded);
            first = recorded.first();
            last = recorded.last();
        } else if (options.containsKey("archive") && Files.isDirectory(raw.resolve(DAY.replace('-', '/')))) {
            System.out.println("CompactBenchmark: the archive in " + raw);
            first = LocalDate.parse(DAY);
            last = first;
        } else {
            long dayEnd = Instant.parse(DAY + "T00:00:00Z").plus(Duration.ofDays(1)).toEpochMilli() - 1;
            FirehoseArchive.Written archive = new FirehoseArchive(20261127)
                    .series(Integer.parseInt(options.get("series"))).span(Duration.ofHours(26))
                    .end(dayEnd + 1 + Duration.ofHours(2).toMillis()).plainRecords(0).withoutTruth().write(raw);
            System.out.println("CompactBenchmark: " + archive);
            first = LocalDate.parse(DAY);
            last = first;
        }
        long rawBytes = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            try (Stream<Path> files = Files.walk(raw.resolve(day.format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    rawBytes += Files.size(file);
                }
            }
        }
        Path compacted = work.resolve("compacted");
        long started = System.nanoTime();
        ArchiveCommand.Run run = ArchiveCommand.run(RestoreBenchmark.imageJvm(options.get("memory"), options.get("jvm")),
                List.of("compact", "--from", raw.toString(), "--to", compacted.toString(), "--day",
                first.equals(last) ? first.toString() : first + ".." + last, "--tmp-dir", work.toString()),
                Map.of(), work.resolve("compact.log"), Duration.ofHours(3));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (run.exit() != 0) {
            throw new IllegalStateException(run.log());
        }
        long parquet = 0;
        long jsonGzip = 0;
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            Path file = compacted.resolve("dt=" + day + "/part-0.parquet");
            parquet += Files.size(file);
            // gzip=false: a large day's lines not gzipped again (the figure is per sample, and takes long)
            jsonGzip += options.get("gzip").equals("false") ? 0 : jsonGzipped(file);
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        long floatSamples;
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet figures = duckdb.createStatement().executeQuery("SELECT count(value), count(DISTINCT labels)"
                     + " FILTER (WHERE value IS NOT NULL), min(time), max(time) FROM read_parquet('" + compacted
                     + "/dt=*/*.parquet')")) {
            figures.next();
            floatSamples = figures.getLong(1);
            System.out.printf(Locale.ROOT, "CompactBenchmark: %d float samples of %d series from %s to %s%n",
                    floatSamples, figures.getLong(2), Instant.ofEpochMilli(figures.getLong(3)),
                    Instant.ofEpochMilli(figures.getLong(4)));
        }
        if (options.containsKey("duckdb")) {
            duckDb(raw, first, last, work.resolve("duckdb.parquet"));
        }
        try (Stream<Path> files = Files.walk(work)) { // the work directory only: archive=DIR stays
            for (Path left : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(left);
            }
        }
        System.out.print(run.log());
        System.out.printf(Locale.ROOT, "CompactBenchmark: %d float samples in the days; compacted %d bytes (%.2f a"
                        + " sample, SHA-256 %s) in %.1f s (%.0f samples/s, JVM start included; CPU %.2f us a sample),"
                        + " peak RSS %d MB (MaxRAM %s); the days' lines gzipped %d bytes (%.2f a sample); the days' raw"
                        + " objects (gzip records, late data and duplicates included) %d bytes (%.2f a sample)%n",
                floatSamples, parquet, (double) parquet / floatSamples, HexFormat.of().formatHex(sha256.digest()),
                seconds, floatSamples / seconds, (double) run.cpuMicros() / floatSamples, run.peakRssMegabytes(),
                options.get("memory"), jsonGzip, (double) jsonGzip / floatSamples, rawBytes,
                (double) rawBytes / floatSamples);
    }

    /**
     * The same days through DuckDB's COPY, the writer README weighs against ours: the Glue table's four columns of
     * the days' float samples, each once, in our order, zstd; in this JVM, on every core.
     */
    private static void duckDb(Path raw, LocalDate first, LocalDate last, Path out) throws Exception {
        long start = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long end = last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long started = System.nanoTime();
        long rows;
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckdb.createStatement()) {
            sql.execute("COPY (SELECT DISTINCT name, time, value, labels FROM read_ndjson('" + raw + "/**/*',"
                    + " compression = 'gzip', columns = {name: 'VARCHAR', time: 'BIGINT', value: 'DOUBLE',"
                    + " labels: 'MAP(VARCHAR, VARCHAR)'}, ignore_errors = true) WHERE time >= " + start
                    + " AND time < " + end + " AND value IS NOT NULL ORDER BY name, labels::VARCHAR, time) TO '"
                    + out + "' (FORMAT parquet, COMPRESSION zstd)");
            try (ResultSet count = sql.executeQuery("SELECT count(*) FROM read_parquet('" + out + "')")) {
                count.next();
                rows = count.getLong(1);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "CompactBenchmark: DuckDB's COPY: %d float samples in %d bytes (%.2f a sample)"
                + " in %.1f s (%.0f samples/s)%n", rows, Files.size(out),
                (double) Files.size(out) / rows, seconds, rows / seconds);
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
