package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compact} killed (SIGKILL) in the middle of a day, as a node or a pod is lost: a reader sees the day as it
 * was before the run, never a part of the new one, and a rerun writes the bytes an uninterrupted run writes. The
 * day "before" is the same day compacted with {@code --grace 0}: without the late data, other bytes than after.
 * Stopped (SIGTERM) instead, it ends the day first.
 */
class CompactKillIT {

    private static final String DAY = "2026-11-27";
    private static final String PARTITION = "dt=" + DAY;
    private static final long DAY_END = Instant.parse(DAY + "T00:00:00Z").plus(Duration.ofDays(1)).toEpochMilli() - 1;

    @TempDir
    static Path temporary;
    private static Path raw;
    /** An uninterrupted run's day, and the day compacted without the late data. */
    private static byte[] after;
    private static byte[] before;

    @BeforeAll
    static void compactTheDayTwice() throws Exception {
        raw = Files.createDirectory(temporary.resolve("archive"));
        // about 95,000 samples in the day: a run takes seconds, so it is killed while it works; a shard 3 h late
        // from 23:00, so its last hour of the day arrives after midnight
        FirehoseArchive.Written archive = new FirehoseArchive(20261127).series(200).span(Duration.ofHours(4)).end(DAY_END + 1 + Duration.ofHours(2)
                .toMillis()).shards(4, 1, Duration.ofHours(3)).write(raw);
        System.out.println("CompactKillIT: " + archive);
        after = Files.readAllBytes(compacted("uninterrupted", temporary.resolve("uninterrupted"), "3h"));
        before = Files.readAllBytes(compacted("before", temporary.resolve("before"), "0"));
        assertFalse(java.util.Arrays.equals(before, after), "the late data makes the days differ");
    }

    @Test
    void killedWhileWritingTheFileNoDayIsVisible() throws Exception {
        Path dest = temporary.resolve("killed-while-writing");
        Path tmpDir = Files.createDirectories(temporary.resolve("tmp-while-writing"));
        // the parquet-encode step writes the day's file in --tmp-dir before publishing it
        String killedAt = killWhenCreated(start("while-writing", raw.toString(), dest.toString(), tmpDir, Map.of()),
                tmpDir, name -> name.startsWith("compact-") && name.endsWith(".parquet"));
        System.out.println("CompactKillIT: killed while writing at " + killedAt);
        assertAll(() -> assertEquals(List.of(), visibleFiles(dest), "files a reader would see after a kill at "
                        + killedAt),
                () -> assertEquals(0, floatRows(dest + "/dt=*/*.parquet"), "rows DuckDB reads"));
    }

    /** SIGTERM (Ctrl-C alike) as the day's file is written: the day ends published, its temporary files gone. */
    @Test
    void stoppedWhileWritingTheFileTheDayEndsPublished() throws Exception {
        Path dest = temporary.resolve("stopped-while-writing");
        Path tmpDir = Files.createDirectories(temporary.resolve("tmp-stopped-while-writing"));
        Process run = start("stopped-while-writing", raw.toString(), dest.toString(), tmpDir, Map.of());
        String stoppedAt = stopWhenCreated(run, tmpDir,
                name -> name.startsWith("compact-") && name.endsWith(".parquet"), Process::destroy);
        System.out.println("CompactKillIT: stopped while writing at " + stoppedAt);
        assertAll(() -> assertEquals(143, run.exitValue(), "the exit code of a process ended by SIGTERM"),
                () -> assertArrayEquals(after, Files.readAllBytes(dest.resolve(PARTITION).resolve("part-0.parquet")),
                        "the day published after SIGTERM at " + stoppedAt),
                () -> assertEquals(List.of(), allFiles(tmpDir), "files left in --tmp-dir"));
    }

    @Test
    void killedWhilePublishingTheDayStaysAsItWasAndARerunWritesTheUninterruptedBytes() throws Exception {
        Path dest = temporary.resolve("killed-while-publishing");
        Path partition = Files.createDirectories(dest.resolve(PARTITION));
        Path file = partition.resolve("part-0.parquet");
        Files.write(file, before);
        // publishing copies the day under a hidden name beside the old one, then renames it over the old one; the
        // kill lands between the two unless the run is faster (a few ms), then the day is as after and it is retried
        String killedAt = null;
        List<Path> leftovers = List.of();
        for (int attempt = 1; leftovers.isEmpty(); attempt++) {
            assertTrue(attempt <= 6, "the kill came after the rename in 5 runs out of 5");
            Files.write(file, before);
            Files.deleteIfExists(file.resolveSibling("_series.json.gz")); // an earlier attempt's, published whole
            Process run = start("while-publishing", raw.toString(), dest.toString(),
                    Files.createDirectories(temporary.resolve("tmp-while-publishing")), Map.of());
            killedAt = killWhenCreated(run, partition, name -> name.startsWith(".part-0.parquet.")) + ", run "
                    + attempt;
            try (Stream<Path> files = Files.list(partition)) {
                // the day's hidden copy; one of its index means the day's rename came first
                leftovers = files.filter(f -> f.getFileName().toString().startsWith(".part-0.parquet.")).toList();
            }
            if (leftovers.isEmpty()) {
                assertArrayEquals(after, Files.readAllBytes(file), "the day once the rename came before the kill");
            }
        }
        // restore leaves such a leftover out too (CompactIT)
        long rowsBefore = floatRows(temporary.resolve("before") + "/dt=*/*.parquet");
        String at = killedAt;
        System.out.println("CompactKillIT: killed while publishing at " + at);
        assertAll(() -> assertArrayEquals(before, Files.readAllBytes(file), "the day after a kill at " + at),
                () -> assertEquals(List.of(file), visibleFiles(dest)),
                () -> assertEquals(rowsBefore, floatRows(dest + "/dt=*/*.parquet"), "rows DuckDB reads"));
        ArchiveCommand.Run rerun = ArchiveCommand.run(List.of(), arguments(raw.toString(), dest.toString(),
                Files.createDirectories(temporary.resolve("tmp-rerun")), "3h"), Map.of(),
                Path.of("target/it-logs/CompactKillIT-rerun.log"), Duration.ofMinutes(2));
        assertAll(() -> ArchiveCommand.assertClean(rerun),
                () -> assertArrayEquals(after, Files.readAllBytes(file), "the rerun's day"),
                () -> assertEquals(List.of(file.resolveSibling("_series.json.gz"), file), allFiles(dest),
                        "the leftover removed, the series index beside the day"));
    }

    /**
     * Killed as its PUT of the day goes out: the day in S3 is the old object, nothing else under the partition.
     * The PUT is held before s3rver has any of it: s3rver writes a body into the object's file as it arrives, so a
     * PUT cut in the middle leaves part of a file there (seen: 211,641 of 423,282 bytes), where S3 stores an
     * object only whole (Content-Length and the checksum verified) and keeps the old one otherwise.
     */
    @Test
    void killedAsItPutsTheDayIntoS3TheOldObjectStays() throws Exception {
        // the objects are read from the directory, faster than through s3rver: the PUT is what matters
        try (S3rver s3 = new S3rver();
             HoldingProxy proxy = new HoldingProxy(URI.create(s3.endpoint()).getPort(), "PUT /archive/compacted/")) {
            s3.client.createBucket(r -> r.bucket("archive"));
            String key = "compacted/" + PARTITION + "/part-0.parquet";
            s3.put("archive", key, before);
            Process run = start("s3", raw.toString(), "s3://archive/compacted",
                    Files.createDirectories(temporary.resolve("tmp-s3")), Map.of("S3_ENDPOINT", proxy.endpoint(),
                            "AWS_ACCESS_KEY_ID", S3rver.KEY, "AWS_SECRET_ACCESS_KEY", S3rver.KEY));
            boolean held = false;
            while (!held && run.isAlive()) {
                held = proxy.holding.await(50, TimeUnit.MILLISECONDS);
            }
            run.destroyForcibly().waitFor();
            assertTrue(held, "the run reached its PUT of the day: target/it-logs/CompactKillIT-compact-s3.log");
            List<String> keys = s3.client.listObjectsV2(r -> r.bucket("archive").prefix("compacted/")).contents()
                    .stream().map(o -> o.key()).toList();
            assertAll(() -> assertEquals(List.of(key), keys),
                    () -> assertArrayEquals(before, s3.client.getObjectAsBytes(r -> r.bucket("archive").key(key))
                            .asByteArray(), "the day after a kill as its PUT went out"));
        }
    }

    /** The day compacted into {@code dest} with that grace, uninterrupted; its file. */
    private static Path compacted(String name, Path dest, String grace) throws Exception {
        ArchiveCommand.Run run = ArchiveCommand.run(List.of(), arguments(raw.toString(), dest.toString(),
                Files.createDirectories(temporary.resolve("tmp-" + name)), grace), Map.of(),
                Path.of("target/it-logs/CompactKillIT-compact-" + name + ".log"), Duration.ofMinutes(2));
        ArchiveCommand.assertClean(run);
        return dest.resolve(PARTITION).resolve("part-0.parquet");
    }

    private static Process start(String name, String from, String to, Path tmpDir, Map<String, String> env)
            throws Exception {
        return ArchiveCommand.start(List.of(), arguments(from, to, tmpDir, "3h"), env,
                Path.of("target/it-logs/CompactKillIT-compact-" + name + ".log"));
    }

    private static List<String> arguments(String from, String to, Path tmpDir, String grace) {
        return List.of("compact", "--from", from, "--to", to, "--day", DAY, "--grace", grace, "--tmp-dir",
                tmpDir.toString());
    }

    /**
     * Kills the run as soon as a file whose name {@code named} accepts is created in {@code directory} (inotify);
     * says when. Fails if the run ended before creating one.
     */
    private static String killWhenCreated(Process run, Path directory, Predicate<String> named) throws Exception {
        return stopWhenCreated(run, directory, named, Process::destroyForcibly);
    }

    /** {@link #killWhenCreated}, stopping the run with {@code stop}; waits until it ended. */
    private static String stopWhenCreated(Process run, Path directory, Predicate<String> named,
                                          Consumer<Process> stop) throws Exception {
        long started = System.nanoTime();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (System.nanoTime() - started < TimeUnit.MINUTES.toNanos(2)) {
                // alive before the poll: the events of a run that just ended are still read once
                boolean alive = run.isAlive();
                WatchKey key = watch.poll(10, TimeUnit.MILLISECONDS);
                if (key != null) {
                    boolean created = key.pollEvents().stream().anyMatch(e -> named.test(e.context().toString()));
                    key.reset();
                    if (created) {
                        stop.accept(run);
                        assertTrue(run.waitFor(2, TimeUnit.MINUTES), "the run ended");
                        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9);
                    }
                }
                if (!alive) {
                    break;
                }
            }
        }
        run.destroyForcibly().waitFor();
        throw new AssertionError("the run ended (exit " + run.exitValue() + ") before a file was created in "
                + directory);
    }

    /** The files a reader lists: every regular file whose name does not start with '.'. */
    private static List<Path> visibleFiles(Path dest) throws Exception {
        return allFiles(dest).stream().filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }

    private static List<Path> allFiles(Path dest) throws Exception {
        if (!Files.exists(dest)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dest)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Float rows DuckDB reads from the files a glob matches (none matched: 0). */
    private static long floatRows(String glob) throws Exception {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet files = duckdb.createStatement().executeQuery("SELECT count(*) FROM glob('" + glob + "')")) {
            files.next();
            if (files.getLong(1) == 0) {
                return 0;
            }
            try (ResultSet rows = duckdb.createStatement().executeQuery("SELECT count(value) FROM read_parquet('"
                    + glob + "', hive_partitioning = true)")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
