package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compact} of one day of an archive laid out as a real Firehose lays one out ({@link FirehoseArchive}: four
 * shards, a shard two hours late, records stored twice, a quarter of an hour resent 75 minutes later, a quarter
 * of the plain objects in Firehose's Parquet), six hours of data across midnight, plus objects of native
 * histograms, exemplars and metadata stored twice. The compacted day, restored, gives back exactly what a
 * restore of the raw archive limited to the day gives; DuckDB over it counts what the archive holds.
 */
class CompactIT {

    private static final String DAY = "2026-11-27";
    private static final long DAY_START = Instant.parse(DAY + "T00:00:00Z").toEpochMilli();
    private static final long DAY_END = DAY_START + Duration.ofDays(1).toMillis() - 1;
    /** Two hours into the next day: the day's last four hours, and late data under the next day's prefixes. */
    private static final long ARCHIVE_END = DAY_END + 1 + Duration.ofHours(2).toMillis();
    private static final List<String> OTHER_KINDS = List.of(
            "{\"name\":\"rpc_seconds\",\"time\":" + (DAY_END - 60_000) + ",\"histogram\":{\"count\":9,\"sum\":10.5,\"schema\":0,\"zero_threshold\":0.001,\"zero_count\":1,\"reset_hint\":\"no\",\"buckets\":[{\"index\":1,\"lower\":-2.0,\"upper\":-1.0,\"count\":1},{\"index\":1,\"lower\":1.0,\"upper\":2.0,\"count\":3},{\"index\":2,\"lower\":2.0,\"upper\":4.0,\"count\":4}]},\"labels\":{\"__name__\":\"rpc_seconds\",\"job\":\"api\"}}",
            "{\"name\":\"rpc_seconds\",\"time\":" + (DAY_END - 59_999) + ",\"exemplar\":{\"value\":0.3,\"labels\":{\"trace_id\":\"t-1\"}},\"labels\":{\"__name__\":\"rpc_seconds\",\"job\":\"api\"}}",
            "{\"name\":\"rpc_seconds\",\"time\":" + (DAY_END - 50_000) + ",\"metadata\":{\"type\":\"histogram\",\"help\":\"RPC latency.\",\"unit\":\"seconds\"}}",
            // the next day's: left out
            "{\"name\":\"rpc_seconds\",\"time\":" + (DAY_END + 1) + ",\"exemplar\":{\"value\":0.4,\"labels\":{\"trace_id\":\"t-2\"}},\"labels\":{\"__name__\":\"rpc_seconds\",\"job\":\"api\"}}");

    @TempDir
    static Path temporary;
    private static Path raw;
    private static FirehoseArchive.Written archive;

    @BeforeAll
    static void writeArchive() throws Exception {
        raw = Files.createDirectory(temporary.resolve("archive"));
        archive = new FirehoseArchive(20261127).end(ARCHIVE_END).parquet(0.25, FirehoseParquet::write).write(raw);
        // the other kinds, stored twice: once in the day, once among the late data after midnight
        byte[] lines = (String.join("\n", OTHER_KINDS) + "\n").getBytes(StandardCharsets.UTF_8);
        for (String hour : List.of("2026/11/27/22/", "2026/11/28/01/")) {
            Files.write(Files.createDirectories(raw.resolve(hour)).resolve("metrics-archive-1-other-kinds"), gzip(lines));
        }
        System.out.println("CompactIT: " + archive);
        assertTrue(archive.duplicatesInALaterObject > 0 && archive.resentSamples > 0, "the archive is as hard as meant");
    }

    @Test
    void theCompactedDayRestoresExactlyAsTheRawDayAndDuckDbCountsWhatTheArchiveHolds() throws Exception {
        Path compacted = temporary.resolve("compacted");
        ArchiveCommand.Run compact = compact("directory", raw.toString(), compacted.toString(), Map.of());
        Path file = compacted.resolve("dt=" + DAY + "/part-0.parquet");
        long floatSamples = archive.points().filter(inDay()).count();
        System.out.printf("CompactIT: %d float samples of the day in %d bytes: %.2f bytes a sample%n", floatSamples,
                Files.size(file), (double) Files.size(file) / floatSamples);
        try (ReceiverStandIn fromCompacted = new ReceiverStandIn(); ReceiverStandIn fromRaw = new ReceiverStandIn()) {
            ArchiveCommand.Run restoreCompacted = restore("compacted", compacted.toString(), fromCompacted.uri());
            ArchiveCommand.Run restoreRaw = restore("raw", raw.toString(), fromRaw.uri(), "--start",
                    String.valueOf(DAY_START), "--end", String.valueOf(DAY_END));
            Set<ReceiverStandIn.Received> distinct = new HashSet<>(fromCompacted.accepted);
            assertAll(() -> ArchiveCommand.assertClean(compact),
                    () -> assertTrue(compact.log().contains("published " + file), compact.log()),
                    () -> ArchiveCommand.assertClean(restoreCompacted),
                    () -> ArchiveCommand.assertClean(restoreRaw),
                    () -> assertTrue(restoreCompacted.log().contains("0 duplicates sent once"), restoreCompacted.log()),
                    () -> ArchiveCommand.assertSameSamples(archive.received(inDay()), distinct, "from the compacted day"),
                    () -> assertEquals(distinct.size(), fromCompacted.accepted.size(), "samples sent twice"),
                    () -> assertEquals(new HashSet<>(fromRaw.accepted), distinct, "the raw day's samples"),
                    () -> assertEquals(fromRaw.exemplars, fromCompacted.exemplars),
                    () -> assertEquals(1, fromCompacted.exemplars.size()),
                    () -> assertEquals(fromRaw.histograms, fromCompacted.histograms),
                    () -> assertEquals(1, fromCompacted.histograms.size()),
                    () -> assertEquals(fromRaw.metadata, fromCompacted.metadata),
                    () -> assertEquals(1, fromCompacted.metadata.size()));
        }

        // the same SQL Athena would run, over the compacted table
        Map<String, long[]> expected = new HashMap<>();
        Map<String, Double> expectedSums = new HashMap<>();
        archive.points().filter(inDay()).forEach(p -> {
            long[] figures = expected.computeIfAbsent(p.series().text, s -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            figures[0]++;
            figures[1] = Math.min(figures[1], p.time());
            figures[2] = Math.max(figures[2], p.time());
            double value = Double.longBitsToDouble(p.valueBits());
            expectedSums.merge(p.series().text, Double.isFinite(value) ? value : 0, Double::sum);
        });
        Map<String, long[]> counted = new HashMap<>();
        Map<String, Double> sums = new HashMap<>();
        long total;
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = duckdb.createStatement()) {
            String table = "read_parquet('" + compacted + "/dt=*/*.parquet', hive_partitioning = true)";
            try (ResultSet rows = sql.executeQuery("SELECT array_to_string(list_transform(map_entries(labels),"
                    + " e -> e.key || '=' || e.value), ',') AS series, count(*), min(time), max(time),"
                    + " coalesce(sum(value) FILTER (WHERE isfinite(value)), 0) FROM " + table
                    + " WHERE dt = '" + DAY + "' AND value IS NOT NULL GROUP BY series")) {
                while (rows.next()) {
                    counted.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3), rows.getLong(4)});
                    sums.put(rows.getString(1), rows.getDouble(5));
                }
            }
            try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM " + table + " WHERE value IS NOT NULL")) {
                rows.next();
                total = rows.getLong(1);
            }
        }
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, long[]> series : expected.entrySet()) {
            long[] there = counted.get(series.getKey());
            double sum = expectedSums.get(series.getKey());
            if (there == null || !java.util.Arrays.equals(series.getValue(), there)
                    || Math.abs(sums.get(series.getKey()) - sum) > 1e-9 * Math.max(1, Math.abs(sum))) {
                different.add(series.getKey());
            }
        }
        assertAll(() -> assertEquals(archive.points().filter(inDay()).count(), total, "float samples in DuckDB"),
                () -> assertEquals(expected.keySet(), counted.keySet(), "series"),
                () -> assertEquals(List.of(), different.stream().limit(5).toList(),
                        different.size() + " series with other count, times or sum"));
    }

    @Test
    void s3InAndOutGivesTheSameBytesAsADirectoryAndARerunTheSameFile() throws Exception {
        Path compacted = temporary.resolve("compacted-for-s3");
        ArchiveCommand.Run fromDirectory = compact("reference", raw.toString(), compacted.toString(), Map.of());
        byte[] reference = Files.readAllBytes(compacted.resolve("dt=" + DAY + "/part-0.parquet"));
        ArchiveCommand.Run again = compact("rerun", raw.toString(), compacted.toString(), Map.of());
        try (S3rver s3 = new S3rver()) {
            s3.client.createBucket(r -> r.bucket("archive"));
            archive.putInto(s3, "archive", "metrics/");
            ArchiveCommand.Run throughS3 = compact("s3", "s3://archive/metrics/", "s3://archive/compacted", Map.of(
                    "S3_ENDPOINT", s3.endpoint(), "AWS_ACCESS_KEY_ID", S3rver.KEY, "AWS_SECRET_ACCESS_KEY", S3rver.KEY));
            byte[] fromS3 = s3.client.getObjectAsBytes(r -> r.bucket("archive")
                    .key("compacted/dt=" + DAY + "/part-0.parquet")).asByteArray();
            try (ReceiverStandIn receiver = new ReceiverStandIn()) {
                ArchiveCommand.Run restored = ArchiveCommand.run(List.of(), List.of("restore", "--from",
                        "s3://archive/compacted/", "--to", receiver.uri().toString()), Map.of("S3_ENDPOINT",
                        s3.endpoint(), "AWS_ACCESS_KEY_ID", S3rver.KEY, "AWS_SECRET_ACCESS_KEY", S3rver.KEY),
                        Path.of("target/it-logs/CompactIT-restore-s3.log"), Duration.ofMinutes(2));
                assertAll(() -> ArchiveCommand.assertClean(fromDirectory),
                        () -> ArchiveCommand.assertClean(again),
                        () -> ArchiveCommand.assertClean(throughS3),
                        () -> ArchiveCommand.assertClean(restored),
                        () -> assertArrayEquals(reference, Files.readAllBytes(compacted.resolve("dt=" + DAY
                                + "/part-0.parquet")), "a rerun writes the same bytes"),
                        () -> assertArrayEquals(reference, fromS3, "S3 holds the same bytes as the directory"),
                        () -> ArchiveCommand.assertSameSamples(archive.received(inDay()),
                                new HashSet<>(receiver.accepted), "restored from S3"));
            }
        }
    }

    @Test
    void aBadObjectLeavesThePublishedDayAsItWasAndALeftoverIsNeverRead() throws Exception {
        Path compacted = temporary.resolve("compacted-then-broken");
        ArchiveCommand.Run first = compact("before-the-bad-object", raw.toString(), compacted.toString(), Map.of());
        Path file = compacted.resolve("dt=" + DAY + "/part-0.parquet");
        byte[] before = Files.readAllBytes(file);
        // what a killed run leaves: half a file under the hidden name
        Path leftover = file.resolveSibling(".part-0.parquet.12345");
        Files.write(leftover, java.util.Arrays.copyOf(before, before.length / 2));

        Path broken = temporary.resolve("archive-with-a-bad-object");
        copy(raw, broken);
        Path bad = Files.createDirectories(broken.resolve("2026/11/27/23/")).resolve("metrics-archive-1-truncated");
        byte[] gzip = gzip(("{\"name\":\"up\",\"time\":" + DAY_END + ",\"value\":1.0,\"labels\":{\"__name__\":\"up\"}}\n")
                .repeat(1000).getBytes(StandardCharsets.UTF_8));
        Files.write(bad, java.util.Arrays.copyOf(gzip, gzip.length / 2));
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            // the leftover is not read: the day restores cleanly beside it
            ArchiveCommand.Run restored = restore("beside-a-leftover", compacted.toString(), receiver.uri());
            ArchiveCommand.Run second = compact("with-a-bad-object", broken.toString(), compacted.toString(), Map.of());
            assertAll(() -> ArchiveCommand.assertClean(first),
                    () -> ArchiveCommand.assertClean(restored),
                    () -> ArchiveCommand.assertSameSamples(archive.received(inDay()), new HashSet<>(receiver.accepted),
                            "restored beside a leftover"),
                    () -> assertEquals(1, second.exit(), second.log()),
                    () -> assertTrue(second.log().contains(bad.toString()), "the bad object is named: " + second.log()),
                    () -> assertTrue(second.log().contains("not published"), second.log()),
                    () -> assertArrayEquals(before, Files.readAllBytes(file), "the published day is untouched"));
        }
        ArchiveCommand.Run third = compact("after-the-leftover", raw.toString(), compacted.toString(), Map.of());
        assertAll(() -> ArchiveCommand.assertClean(third),
                () -> assertFalse(Files.exists(leftover), "the leftover is removed by the next run"),
                () -> assertArrayEquals(before, Files.readAllBytes(file)));
    }

    private static Predicate<FirehoseArchive.Point> inDay() {
        return p -> p.time() >= DAY_START && p.time() <= DAY_END;
    }

    private static ArchiveCommand.Run compact(String name, String from, String to, Map<String, String> env)
            throws Exception {
        return ArchiveCommand.run(List.of(), List.of("compact", "--from", from, "--to", to, "--day", DAY,
                        "--tmp-dir", Files.createDirectories(temporary.resolve("runs")).toString()), env,
                Path.of("target/it-logs/CompactIT-compact-" + name + ".log"), Duration.ofMinutes(2));
    }

    private static ArchiveCommand.Run restore(String name, String from, URI receiver, String... options)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of("restore", "--from", from, "--to", receiver.toString(),
                "--tmp-dir", Files.createDirectories(temporary.resolve("runs")).toString()));
        arguments.addAll(List.of(options));
        return ArchiveCommand.run(List.of(), arguments, Map.of(),
                Path.of("target/it-logs/CompactIT-restore-" + name + ".log"), Duration.ofMinutes(2));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }
}
