package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.compact.CompactCommand;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.it.SampleLines;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.restore.ArchiveObjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelContextTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction's route (routes/compact/write-parquet.yaml, after the restore's read-archive.yaml) in the JVM, as
 * `compact` runs it: an archive of a day's JSON lines laid out by hour as Firehose lays it out, with a line stored
 * twice, a late line of the day and a line of the next day within the grace period, a line of the day before in
 * the hour before, and a line of the day too late to be in it. Each day's Parquet file, read back as the restore
 * reads it, holds exactly that day's lines, each once, in the table's order; a rerun writes the same bytes.
 */
class CompactRouteTest {

    private static final long DAY_START = Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final List<String> DAYS = List.of("2026-11-26", "2026-11-27", "2026-11-28");
    private static final DateTimeFormatter HOUR_PREFIX = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/")
            .withZone(ZoneOffset.UTC);
    private static final RestoreSettings SETTINGS = RestoreSettings.read(SettingsSource.environmentOnly(Map.of()));

    @Test
    void eachDayHoldsItsOwnLinesOnceAndARerunWritesTheSameBytes(@TempDir Path work) throws Exception {
        List<String> day = ArchiveDirectory.lines(dayRequest());
        String late = edge("late", DAY_START + 24 * HOUR - 60_000);
        String nextDay = edge("next-day", DAY_START + 24 * HOUR + HOUR / 2);
        String dayBefore = edge("day-before", DAY_START - HOUR / 2);
        String tooLate = edge("too-late", DAY_START + 24 * HOUR - 30_000);
        Path archive = work.resolve("archive");
        int half = day.size() / 2;
        ArchiveDirectory.write(archive.resolve("2026/11/27/10/part-a"), day.subList(0, half));
        List<String> secondHalf = new ArrayList<>(day.subList(half, day.size()));
        secondHalf.add(day.get(0));
        ArchiveDirectory.write(archive.resolve("2026/11/27/11/part-b.gz"), secondHalf);
        ArchiveDirectory.write(archive.resolve("2026/11/26/23/part-c"), List.of(dayBefore));
        // within the default grace (3h) after midnight
        ArchiveDirectory.write(archive.resolve("2026/11/28/01/part-d"), List.of(late, nextDay));
        ArchiveDirectory.write(archive.resolve("2026/11/28/04/part-e"), List.of(tooLate));
        Path compacted = work.resolve("compacted");

        String said = compact(archive, compacted, work);

        List<String> dayAndLate = new ArrayList<>(day);
        dayAndLate.add(late);
        Map<String, List<String>> expected = Map.of("2026-11-26", List.of(dayBefore), "2026-11-27", dayAndLate,
                "2026-11-28", List.of(nextDay));
        Map<String, byte[]> files = new HashMap<>();
        for (String date : DAYS) {
            Path file = compacted.resolve("dt=" + date + "/part-0.parquet");
            assertTrue(said.contains("compact " + date + ": published " + file), said);
            List<String> lines = readBack(file, work);
            assertEquals(expected.get(date).stream().sorted().toList(), lines.stream().sorted().toList(), date);
            assertInTableOrder(lines);
            assertIndexed(file, lines);
            files.put(date, Files.readAllBytes(file));
            files.put(date + " index", Files.readAllBytes(file.resolveSibling("_series.json.gz")));
        }

        compact(archive, compacted, work);

        for (String date : DAYS) {
            assertArrayEquals(files.get(date), Files.readAllBytes(compacted.resolve("dt=" + date + "/part-0.parquet")),
                    "the rerun's " + date);
            assertArrayEquals(files.get(date + " index"),
                    Files.readAllBytes(compacted.resolve("dt=" + date + "/_series.json.gz")), "the rerun's index");
        }
    }

    /** Days one after the other in one run: a day's context, which holds its sort buffers, goes with the day. */
    @Test
    void aDayDoneLetsGoOfItsCamelContextAndSoOfItsSortBuffers(@TempDir Path work) throws Exception {
        Path archive = work.resolve("archive");
        for (int day = 0; day < DAYS.size(); day++) {
            long time = DAY_START + (day - 1) * 24 * HOUR + 10 * HOUR;
            ArchiveDirectory.write(archive.resolve(HOUR_PREFIX.format(Instant.ofEpochMilli(time)) + "part-a"),
                    List.of(edge(DAYS.get(day), time)));
        }
        List<WeakReference<CamelContext>> contexts = new ArrayList<>();
        CamelContextTracker tracker = new CamelContextTracker() {
            @Override
            public void contextCreated(CamelContext context) {
                contexts.add(new WeakReference<>(context));
            }
        };
        tracker.open();
        try {
            compact(archive, work.resolve("compacted"), work);
        } finally {
            tracker.close();
        }

        assertEquals(DAYS.size(), contexts.size(), "a context a day");
        // the last day's may stay: Camel's simple language keeps the last context started in a static field
        List<WeakReference<CamelContext>> daysBefore = contexts.subList(0, contexts.size() - 1);
        for (int gc = 0; gc < 10 && daysBefore.stream().anyMatch(c -> c.get() != null); gc++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, daysBefore.stream().filter(c -> c.get() != null).count(),
                "contexts of days done still reachable, and with them their days' sort buffers");
    }

    /** compact --day 2026-11-26..2026-11-28, which must publish every day; what it said. */
    private static String compact(Path archive, Path compacted, Path work) throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int exit = CompactCommand.run(List.of("--from", archive.toString(), "--to", compacted.toString(),
                        "--day", DAYS.get(0) + ".." + DAYS.get(DAYS.size() - 1), "--tmp-dir", work.toString()),
                SETTINGS, new PrintStream(said, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, said.toString(StandardCharsets.UTF_8));
        return said.toString(StandardCharsets.UTF_8);
    }

    /** The file's lines as the restore's open-object step reads them. */
    private static List<String> readBack(Path file, Path work) throws Exception {
        try (InputStream lines = ArchiveObjects.at(file.toString(), SETTINGS, null, new LongAdder(), work)
                .open(file.toString())) {
            return new String(lines.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * The day's series index: one entry per series in the file's order, its rows exactly the lines with its name
     * and labels, from its first to its last time; the last line names the file beside it, byte for byte.
     */
    private static void assertIndexed(Path file, List<String> lines) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> index;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file.resolveSibling("_series.json.gz")))) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(line -> {
                try {
                    return json.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
        JsonNode described = index.get(index.size() - 1);
        assertEquals("part-0.parquet", described.get("file").asText());
        assertEquals(Files.size(file), described.get("bytes").asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                described.get("sha256").asText());
        assertEquals(lines.size(), described.get("rows").asLong());
        assertEquals(index.size() - 1, described.get("series").asLong());
        long next = 0;
        for (JsonNode series : index.subList(0, index.size() - 1)) {
            assertEquals(next, series.get("first_row").asLong(), "rows follow each other: " + series);
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (long row = next; row < next + series.get("rows").asLong(); row++) {
                JsonNode line = json.readTree(lines.get((int) row));
                assertEquals(series.get("name").asText(), line.get("name").asText(), "row " + row);
                assertEquals(series.get("labels"), line.get("labels"), "row " + row);
                min = Math.min(min, line.get("time").asLong());
                max = Math.max(max, line.get("time").asLong());
            }
            assertEquals(min, series.get("min_time").asLong(), series.toString());
            assertEquals(max, series.get("max_time").asLong(), series.toString());
            next += series.get("rows").asLong();
        }
        assertEquals(lines.size(), next, "every row in a series");
    }

    /** Sorted by metric name, then each series' lines in time order. */
    private static void assertInTableOrder(List<String> lines) {
        String name = "";
        Map<String, Long> lastTime = new HashMap<>();
        for (String line : lines) {
            // SampleLines' form: name @time = value {labels}
            String sample = SampleLines.parse(line);
            String lineName = sample.substring(0, sample.indexOf(" @"));
            long time = Long.parseLong(sample.substring(sample.indexOf(" @") + 2, sample.indexOf(" = ")));
            assertTrue(lineName.compareTo(name) >= 0, "by name: " + line);
            Long before = lastTime.put(sample.substring(sample.indexOf(" {")), time);
            assertTrue(before == null || before < time, "by time: " + line);
            name = lineName;
        }
    }

    /** 12 series of 20 samples from 10:00 on the day, and a series that goes stale. */
    private static WriteRequest dayRequest() {
        WriteRequest generated = RemoteWriteBodies.generated("compact", 12, 20, 31);
        long shift = DAY_START + 10 * HOUR - generated.getTimeseries(0).getSamples(0).getTimestamp();
        WriteRequest.Builder day = WriteRequest.newBuilder();
        for (TimeSeries series : generated.getTimeseriesList()) {
            TimeSeries.Builder shifted = series.toBuilder().clearSamples();
            for (Sample sample : series.getSamplesList()) {
                shifted.addSamples(sample.toBuilder().setTimestamp(sample.getTimestamp() + shift));
            }
            day.addTimeseries(shifted);
        }
        return day.addTimeseries(TimeSeries.newBuilder().addLabels(RemoteWriteBodies.label("__name__", "up"))
                .addLabels(RemoteWriteBodies.label("job", "compact"))
                .addSamples(RemoteWriteBodies.sample(1, DAY_START + 11 * HOUR))
                .addSamples(RemoteWriteBodies.sample(Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS),
                        DAY_START + 11 * HOUR + 15_000))).build();
    }

    /** The line of one sample of compact_edge{at=AT}. */
    private static String edge(String at, long time) {
        return ArchiveDirectory.lines(RemoteWriteBodies.request(TimeSeries.newBuilder()
                .addLabels(RemoteWriteBodies.label("__name__", "compact_edge"))
                .addLabels(RemoteWriteBodies.label("at", at))
                .addSamples(RemoteWriteBodies.sample(0.5, time)).build())).get(0);
    }
}
