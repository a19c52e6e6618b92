package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore of an archive laid out as a real Firehose lays one out ({@link FirehoseArchive}): every series
 * spread over four shards, objects out of time order between and within them, a shard read two hours late,
 * records stored twice, a quarter of an hour sent again later; objects of gzip records, plain records, gzipped
 * whole, and a quarter of the plain ones converted to Parquet as Firehose's record format conversion writes
 * them. A default Prometheus answers 400 for a request
 * holding a sample older than its series' newest, or an hour older than its newest of all: every sample back,
 * bit for bit, means the restore sent all series advancing together in time, each sample once.
 */
class RestoreArchiveIT {

    /** About now, so a default Prometheus takes the whole span; whole seconds keep the slices' bounds simple. */
    private static final long END = (System.currentTimeMillis() - Duration.ofMinutes(3).toMillis()) / 1000 * 1000;
    private static final String EVERYTHING = "{__name__=~\".+\"}[6h5m]";
    private static final int MAX_SAMPLES_PER_SEND = 2000;
    private static final int CONCURRENCY = 4;

    /** The archive and the restores' sorted runs, deleted after the class. */
    @TempDir
    static Path temporary;
    private static Path archiveDirectory;
    private static FirehoseArchive.Written archive;

    @BeforeAll
    static void writeArchive() throws Exception {
        long started = System.nanoTime();
        archiveDirectory = Files.createDirectory(temporary.resolve("archive"));
        archive = new FirehoseArchive(20261128).end(END).parquet(0.25, FirehoseParquet::write).write(archiveDirectory);
        System.out.printf("RestoreArchiveIT: %s, written in %.1f s%n", archive, (System.nanoTime() - started) / 1e9);
        assertTrue(archive.duplicatesInALaterObject > 0 && archive.resentSamples > 0
                && archive.objectsByKind.keySet().containsAll(List.of(FirehoseArchive.ObjectKind.GZIP_MEMBERS,
                FirehoseArchive.ObjectKind.PLAIN, FirehoseArchive.ObjectKind.GZIP, FirehoseArchive.ObjectKind.PARQUET)),
                "the archive is as hard as meant");
    }

    @Test
    void everySampleComesBackIntoADefaultPrometheusBitForBit() throws Exception {
        try (Prometheus prometheus = Prometheus.receiver("RestoreArchiveIT-prometheus")) {
            prometheus.awaitReady();
            ArchiveCommand.Run run = restore("prometheus", prometheus.receiver());
            Set<String> restored = new HashSet<>(prometheus.rawSamples(EVERYTHING, archive.end));
            // a range selector never returns staleness markers: each must hide its series from an instant query
            List<FirehoseArchive.Point> markers = archive.points().filter(FirehoseArchive.Point::stale).toList();
            List<String> markersMissing = new ArrayList<>();
            for (FirehoseArchive.Point marker : markers) {
                String series = marker.series().selector();
                if (prometheus.seriesAt(series, marker.time()) != 0
                        || prometheus.seriesAt(series, marker.time() - 1) != 1) {
                    markersMissing.add(series + " @" + marker.time());
                }
            }
            System.out.printf("RestoreArchiveIT: %d of %d staleness markers missing%n", markersMissing.size(),
                    markers.size());
            assertAll(() -> ArchiveCommand.assertClean(run),
                    () -> assertTrue(run.log().contains("objects " + archive.objects() + " (bad 0)"), run.log()),
                    () -> ArchiveCommand.assertSameSamples(archive.sampleLines(p -> !p.stale()), restored,
                            "Prometheus"),
                    () -> assertEquals(List.of(), markersMissing.stream().limit(5).toList(),
                            markersMissing.size() + " of " + markers.size() + " staleness markers missing"));
        }
    }

    /**
     * How far back in data time a request may begin from the latest beginning of the requests before it: the
     * restore sends on {@code CONCURRENCY} senders, a series always on one, each with a request being filled and
     * up to two waiting (as RestoreRequests has them), so a request can be overtaken by about three of another
     * sender's, each holding {@code MAX_SAMPLES_PER_SEND} samples of a quarter of the series. At this archive's
     * ~20 samples/s that is about 19 minutes, well inside the hour a default Prometheus takes; the late shard
     * alone is two hours.
     */
    private static long slackMillis() {
        double samplesPerMilli = (double) archive.samples() / (archive.end - archive.start);
        return (long) (3 * CONCURRENCY * MAX_SAMPLES_PER_SEND / samplesPerMilli);
    }

    @Test
    void everySampleArrivesOnceWithItsBitsAndTimeNeverGoesBackFar() throws Exception {
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            ArchiveCommand.Run run = restore("stand-in", receiver.uri());

            Set<ReceiverStandIn.Received> distinct = new HashSet<>(receiver.accepted);
            long copies = receiver.accepted.size() - distinct.size();
            Map<String, Long> newest = new HashMap<>();
            List<String> seriesBack = new ArrayList<>();
            for (ReceiverStandIn.Received sample : receiver.accepted) {
                Long before = newest.put(sample.labels(), Math.max(sample.time(),
                        newest.getOrDefault(sample.labels(), Long.MIN_VALUE)));
                if (before != null && sample.time() < before) {
                    seriesBack.add(sample.labels() + " @" + sample.time() + " after @" + before);
                }
            }
            long latestStart = receiver.requestSpans.isEmpty() ? 0 : receiver.requestSpans.get(0).minTime();
            long furthestBack = 0;
            for (ReceiverStandIn.RequestSpan request : receiver.requestSpans) {
                furthestBack = Math.max(furthestBack, latestStart - request.minTime());
                latestStart = Math.max(latestStart, request.minTime());
            }
            System.out.printf("RestoreArchiveIT: %d samples in %d requests, %d copies, %d samples older than their"
                            + " series' newest, a request began %.1f min before an earlier one (allowed %.1f)%n",
                    receiver.accepted.size(), receiver.requestSpans.size(), copies, seriesBack.size(),
                    furthestBack / 60_000.0, slackMillis() / 60_000.0);
            long back = furthestBack;
            assertAll(() -> ArchiveCommand.assertClean(run),
                    () -> assertTrue(run.log().contains("objects " + archive.objects() + " (bad 0)"), run.log()),
                    () -> ArchiveCommand.assertSameSamples(archive.received(p -> true), distinct, "the stand-in"),
                    () -> assertEquals(0, copies, "samples sent more than once"),
                    () -> assertEquals(List.of(), seriesBack.stream().limit(5).toList(),
                            seriesBack.size() + " samples older than their series' newest"),
                    () -> assertTrue(back <= slackMillis(), "a request began " + back / 60_000.0
                            + " min of data time before an earlier one"));
        }
    }

    @Test
    void aSliceOfTimeAndOneJobComesBackAndNothingElse() throws Exception {
        long start = archive.end - Duration.ofHours(4).toMillis();
        long end = archive.end - Duration.ofHours(2).toMillis();
        try (Prometheus prometheus = Prometheus.receiver("RestoreArchiveIT-prometheus-slice")) {
            prometheus.awaitReady();
            ArchiveCommand.Run run = restore("slice", prometheus.receiver(), "--start",
                    Instant.ofEpochMilli(start).toString(), "--end", String.valueOf(end), "--match", "{job=\"api\"}");
            Set<String> restored = new HashSet<>(prometheus.rawSamples(EVERYTHING, archive.end));
            assertAll(() -> ArchiveCommand.assertClean(run),
                    () -> ArchiveCommand.assertSameSamples(archive.sampleLines(p -> !p.stale()
                            && p.series().labels.get("job").equals("api") && p.time() >= start && p.time() <= end),
                            restored, "Prometheus, the slice"));
        }
    }

    /** OpenMetrics cannot carry staleness markers: the export leaves them out, and keeps everything else here. */
    @Test
    void theExportBackfilledByPromtoolHoldsEverySample() throws Exception {
        Path blocks = ArchiveCommand.exportAndBackfill("RestoreArchiveIT", archiveDirectory.toString(), "--tmp-dir",
                Files.createDirectories(temporary.resolve("runs")).toString());
        try (Prometheus prometheus = Prometheus.onBlocks("RestoreArchiveIT-blocks", blocks)) {
            prometheus.awaitReady();
            ArchiveCommand.assertSameSamples(archive.sampleLines(p -> !p.stale()),
                    new HashSet<>(prometheus.rawSamples(EVERYTHING, archive.end)), "Prometheus on promtool's blocks");
        }
    }

    /**
     * Under {@code -XX:MaxRAM=256m} the JVM gives itself a 126 MB heap (half of a RAM this small). 3 million
     * samples are 1.1 GB of JSON lines and, decoded as the restore reads them (an encoding.ArchivedLine is 56
     * bytes, plus a reference to hold it), 180 MB: 1.4 times the heap before anything else is in it. The receiver
     * keeps a fingerprint per sample, not the sample, and the archive holds only gzip records to stay small.
     */
    @Test
    void moreSamplesThanTheHeapHoldsAreRestoredInBoundedMemory(@TempDir Path directory) throws Exception {
        FirehoseArchive.Written large = new FirehoseArchive(20261129).series(2_100).plainRecords(0).end(END)
                .write(Files.createDirectory(directory.resolve("archive")));
        System.out.println("RestoreArchiveIT: " + large);
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            receiver.keepSamples = false;
            ArchiveCommand.Run run = ArchiveCommand.run(List.of("-XX:MaxRAM=256m"), List.of("restore", "--from",
                    large.directory.toString(), "--to", receiver.uri().toString(), "--tmp-dir",
                    Files.createDirectory(directory.resolve("runs")).toString()), Map.of(),
                    Path.of("target/it-logs/RestoreArchiveIT-restore-bounded.log"), Duration.ofMinutes(3));
            long[] expected = large.fingerprints();
            long[] received = receiver.fingerprints();
            long[] lostExtraCopies = compare(expected, received);
            System.out.printf("RestoreArchiveIT: %d samples expected, %d received: %d lost, %d extra, %d copies;"
                            + " peak RSS %d MB%n", expected.length, received.length, lostExtraCopies[0],
                    lostExtraCopies[1], lostExtraCopies[2], run.peakRssMegabytes());
            assertAll(() -> ArchiveCommand.assertClean(run),
                    () -> assertEquals(0, lostExtraCopies[0], "samples lost"),
                    () -> assertEquals(0, lostExtraCopies[1], "samples never in the archive"),
                    () -> assertEquals(0, lostExtraCopies[2], "samples sent more than once"),
                    () -> assertTrue(run.peakRssMegabytes() > 0 && run.peakRssMegabytes() < 400,
                            "peak RSS " + run.peakRssMegabytes() + " MB"));
        }
    }

    /** Lost, extra and repeated fingerprints of two sorted arrays (expected holds each once). */
    private static long[] compare(long[] expected, long[] received) {
        long lost = 0;
        long extra = 0;
        long copies = 0;
        int i = 0;
        int j = 0;
        while (i < expected.length || j < received.length) {
            if (j > 0 && j < received.length && received[j] == received[j - 1]) {
                copies++;
                j++;
            } else if (j == received.length || (i < expected.length && expected[i] < received[j])) {
                lost++;
                i++;
            } else if (i == expected.length || received[j] < expected[i]) {
                extra++;
                j++;
            } else {
                i++;
                j++;
            }
        }
        return new long[] {lost, extra, copies};
    }

    private static ArchiveCommand.Run restore(String name, URI receiver, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("restore", "--from", archiveDirectory.toString(), "--to",
                receiver.toString(), "--max-samples-per-send", String.valueOf(MAX_SAMPLES_PER_SEND),
                "--concurrency", String.valueOf(CONCURRENCY), "--tmp-dir",
                Files.createDirectories(temporary.resolve("runs")).toString()));
        arguments.addAll(List.of(options));
        return ArchiveCommand.run(List.of(), arguments, Map.of(),
                Path.of("target/it-logs/RestoreArchiveIT-restore-" + name + ".log"), Duration.ofMinutes(2));
    }
}
