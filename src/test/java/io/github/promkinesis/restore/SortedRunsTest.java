package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order step and the merge, in the JVM: lines in any order, twice or with another value, through buffers
 * small enough to spill many runs (and merge them in several passes), come out in the order asked for, each once.
 */
class SortedRunsTest {

    @TempDir
    Path tmp;

    @Test
    void shuffledLinesWithTwinsComeOutInTimeOrderEachOnceThroughManyRuns() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int time = 0; time < 800; time++) {
            for (int series = 0; series < 20; series++) {
                lines.add(sample("m" + series % 3, "s" + series, time * 15_000L, time * 0.5 + series));
            }
        }
        List<String> archive = new ArrayList<>(lines);
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            archive.add(lines.get(random.nextInt(lines.size()))); // records stored twice
        }
        archive.add(sample("m0", "s0", 15_000L, 999.0)); // another value of a sample already there
        Collections.shuffle(archive, random);
        RestoreStats stats = new RestoreStats();
        // ~16,500 lines of ~100 bytes in 4 KiB buffers: about 440 runs, three times FAN_IN: merged in passes, two
        // merges at once, runs merged once merged again
        try (SortedRuns runs = new SortedRuns(SortOrder.TIME, tmp, 2 * 4_096, 2, stats)) {
            feed(runs, archive.subList(0, archive.size() / 2));
            Thread other = new Thread(() -> feedUnchecked(runs, archive.subList(archive.size() / 2, archive.size())));
            other.start();
            joinUninterrupted(other);
            assertTrue(stats.runs.get() > 3 * SortedRuns.FAN_IN, "runs: " + stats.runs.get());

            List<ArchivedLine> merged = drain(runs.merge());
            assertTrue(stats.remerged.sum() > 0, "the first pass counted for the progress lines");
            assertTrue(stats.progress().startsWith("reading"), "its phase over: " + stats.progress());
            long last = Long.MIN_VALUE;
            for (ArchivedLine line : merged) {
                assertTrue(line.time() >= last, "in time order: " + line);
                last = line.time();
            }
            List<String> samples = merged.stream().map(SortedRunsTest::sample).toList();
            assertEquals(new LinkedHashSet<>(samples).size(), samples.size(), "each sample once");
            assertEquals(lines.stream().map(SortedRunsTest::sample).collect(java.util.stream.Collectors.toSet()),
                    Set.copyOf(samples), "every sample, one value of each");
            assertEquals(500, stats.duplicates.sum());
            assertEquals(1, stats.conflicts.sum());
        }
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "the runs deleted");
        }
    }

    @Test
    void exportOrderKeepsEachFamilyTogetherAndEachSeriesInTimeOrder() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int time = 0; time < 50; time++) {
            for (int series = 0; series < 6; series++) {
                lines.add(sample("family_" + series % 3, "s" + series, time * 1000L, time));
            }
        }
        Collections.shuffle(lines, new Random(3));
        try (SortedRuns runs = new SortedRuns(SortOrder.FAMILY, tmp, 8_192, 1, new RestoreStats())) {
            feed(runs, lines);
            List<ArchivedLine> merged = drain(runs.merge());
            List<String> families = new ArrayList<>();
            java.util.Map<String, Long> lastTime = new java.util.HashMap<>();
            for (ArchivedLine read : merged) {
                if (families.isEmpty() || !families.get(families.size() - 1).equals(read.name())) {
                    families.add(read.name());
                }
                Long before = lastTime.put(read.labels().toString(), read.time());
                assertTrue(before == null || before < read.time(), "series in time order: " + read);
            }
            assertEquals(List.of("family_0", "family_1", "family_2"), families, "each family once, together");
            assertEquals(lines.size(), merged.size());
        }
    }

    /** Names that begin others, share long starts, need escapes or are not ASCII, in several runs. */
    @Test
    void compactOrderIsByNameBytesThenSeriesThenTime() throws IOException {
        List<String> names = List.of("node_network_receive_bytes_total", "node_network_receive_packets_total", "a",
                "a_b", "ab", "caf\\u00e9", "café_total", "z\\u0000", "z", "z\\u0001");
        List<String> lines = new ArrayList<>();
        for (int time = 0; time < 40; time++) {
            for (int series = 0; series < 30; series++) {
                lines.add(sample(names.get(series % names.size()), "s" + series, time * 1000L, time));
            }
        }
        Collections.shuffle(lines, new Random(5));
        try (SortedRuns runs = new SortedRuns(SortOrder.NAME, tmp, 16_384, 1, new RestoreStats())) {
            feed(runs, lines);
            List<ArchivedLine> merged = drain(runs.merge());
            assertEquals(lines.size(), merged.size());
            for (int i = 1; i < merged.size(); i++) {
                ArchivedLine before = merged.get(i - 1);
                ArchivedLine line = merged.get(i);
                int byName = java.util.Arrays.compareUnsigned(before.name().getBytes(StandardCharsets.UTF_8),
                        line.name().getBytes(StandardCharsets.UTF_8));
                int bySeries = Integer.compareUnsigned(before.series().hashCode(), line.series().hashCode());
                assertTrue(byName < 0 || byName == 0 && (bySeries < 0 || bySeries == 0 && before.time() < line.time()),
                        before + " before " + line);
            }
        }
    }

    @Test
    void aFullDiskIsOneErrorNamingTheDirectory() throws IOException {
        Path gone = tmp.resolve("not-there");
        try (SortedRuns runs = new SortedRuns(SortOrder.TIME, gone, 1024, 1, new RestoreStats())) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                lines.add(sample("m", "s", i, i));
            }
            SortedRuns.SpillFailed failed = assertThrows(SortedRuns.SpillFailed.class, () -> feed(runs, lines));
            assertTrue(failed.getMessage().startsWith("cannot write the sorted runs in " + gone + " (--tmp-dir): "),
                    failed.getMessage());
        }
    }

    private static String sample(String name, String series, long time, double value) {
        return "{\"name\":\"" + name + "\",\"time\":" + time + ",\"value\":" + value + ",\"labels\":{\"__name__\":\""
                + name + "\",\"series\":\"" + series + "\"}}";
    }

    private static void feed(SortedRuns runs, List<String> lines) throws IOException {
        RestoreStats stats = new RestoreStats();
        runs.add(new LineDecoder(stats).decode(cursor(lines)));
        assertEquals(0, stats.badLines.sum());
    }

    private static void feedUnchecked(SortedRuns runs, List<String> lines) {
        try {
            feed(runs, lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void joinUninterrupted(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LineCursor cursor(List<String> lines) {
        return new LineCursor("test") {
            private int index;

            @Override
            public boolean next() {
                if (index == lines.size()) {
                    return false;
                }
                bytes = lines.get(index++).getBytes(StandardCharsets.UTF_8);
                offset = 0;
                length = bytes.length;
                number = index;
                return true;
            }
        };
    }

    /** What the merge gives, read: lines, or the series the order step made of float samples. */
    private static List<ArchivedLine> drain(Entries entries) throws IOException {
        JsonLineReader reader = new JsonLineReader();
        List<ArchivedLine> lines = new ArrayList<>();
        try (entries) {
            while (entries.next()) {
                lines.add(Entries.line(reader, entries.array(), entries.lineOffset(), entries.lineLength()));
            }
        }
        return lines;
    }

    private static String sample(String line) {
        return sample(new JsonLineReader().read(line.getBytes(StandardCharsets.UTF_8), 0, line.length()));
    }

    /** A float sample as its series, time and value bits. */
    private static String sample(ArchivedLine line) {
        return line.labels() + "@" + line.time() + "=" + Double.doubleToRawLongBits(line.value());
    }
}
