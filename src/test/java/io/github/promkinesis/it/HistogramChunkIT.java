package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.read.HistogramChunk;
import io.github.promkinesis.read.HistogramChunkTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link HistogramChunk} against Prometheus itself: integer native histograms are remote-written into Debian's
 * Prometheus 2.42 ({@code --enable-feature=native-histograms}), and its own remote read, asked for
 * STREAMED_XOR_CHUNKS, answers with the chunks of its head. Those chunks, read by HistogramChunkTest's decoder,
 * must give back exactly the histograms written (which proves the decoder); ours, made from the same histograms,
 * must decode to them too, be cut where Prometheus cut its own, and be the same bytes, the counter reset header
 * included but in the head's open chunk, which 2.42 encodes anew for the answer without its header.
 */
class HistogramChunkIT {

    private static final long TWO_HOURS = Duration.ofHours(2).toMillis();
    private static final long STEP = 10_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void prometheusChunksGiveBackWhatWasWrittenAndOursAreTheSameBytes() throws Exception {
        assertTrue(Files.isExecutable(Prometheus.BINARY), "needs Debian's prometheus package; bin/test installs it");
        // the head's first chunk range begins here: 10 s samples make Prometheus cut its chunks at 120 samples
        // (its end time predicted from the first 30), as ours are cut; under an hour of data, in one request
        long start = Math.floorDiv(System.currentTimeMillis(), TWO_HOURS) * TWO_HOURS - TWO_HOURS;
        Map<String, List<Histogram>> written = series(start);
        WriteRequest.Builder request = WriteRequest.newBuilder();
        written.forEach((name, histograms) -> request.addTimeseries(TimeSeries.newBuilder()
                .addLabels(RemoteWriteBodies.label("__name__", name)).addLabels(RemoteWriteBodies.label("job", "it"))
                .addAllHistograms(histograms)));

        Map<String, List<Chunk>> theirs = new LinkedHashMap<>();
        try (Prometheus prometheus = Prometheus.configured("HistogramChunkIT", "global:\n  scrape_interval: 1h\n",
                "--web.enable-remote-write-receiver", "--enable-feature=native-histograms")) {
            prometheus.awaitReady();
            HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(prometheus.receiver())
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteWriteBodies.snappy(request.build()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, write.statusCode(), write.body());
            HttpResponse<byte[]> read = RemoteRead.post(HTTP, prometheus.uri().resolve("/api/v1/read"),
                    RemoteRead.request(List.of(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS), RemoteRead.query(start,
                            start + TWO_HOURS, RemoteRead.matcher(LabelMatcher.Type.RE, "__name__", "hist_.+"))),
                    Map.of());
            for (ChunkedReadResponse frame : RemoteRead.frames(read)) {
                ChunkedSeries series = frame.getChunkedSeries(0);
                theirs.computeIfAbsent(RemoteRead.labels(series.getLabelsList()).get("__name__"),
                        name -> new ArrayList<>()).addAll(series.getChunksList());
            }
        }
        assertEquals(written.keySet(), theirs.keySet(), "Prometheus answers every series written");

        int histograms = 0;
        int chunks = 0;
        int sameBytes = 0;
        Set<Integer> headers = new TreeSet<>();
        Set<String> cases = new TreeSet<>();
        for (Map.Entry<String, List<Histogram>> series : written.entrySet()) {
            String name = series.getKey();
            List<String> expected = series.getValue().stream().map(HistogramChunkTest::text).toList();
            List<Chunk> prometheus = theirs.get(name);
            assertEquals(expected, texts(prometheus, cases), name + ": Prometheus' chunks, decoded");
            List<Chunk> ours = HistogramChunk.chunks(series.getValue(), 0, series.getValue().size());
            assertEquals(expected, texts(ours, new TreeSet<>()), name + ": ours, decoded");
            assertEquals(bounds(prometheus), bounds(ours), name + ": chunks cut at the same histograms");
            for (int i = 0; i < ours.size(); i++) {
                byte[] theirBytes = prometheus.get(i).getData().toByteArray();
                byte[] ourBytes = ours.get(i).getData().toByteArray();
                if (i == ours.size() - 1) {
                    // the head's open chunk is encoded anew for the answer (querier.go, populateWithDel-
                    // ChunkSeriesIterator), its counter reset header lost (the head's chunk is no HistogramChunk
                    // there, but its safeChunk): the header is compared in the chunks before it
                    assertEquals(0, theirBytes[2] & 0xC0, name + ": the open chunk's header, as 2.42 answers it");
                    theirBytes[2] |= (byte) (ourBytes[2] & 0xC0);
                } else {
                    headers.add(ourBytes[2] & 0xC0);
                }
                assertEquals(prometheus.get(i).getType(), ours.get(i).getType());
                assertEquals(HEX.formatHex(theirBytes), HEX.formatHex(ourBytes), name + " chunk " + i);
                sameBytes++;
            }
            histograms += expected.size();
            chunks += prometheus.size();
        }
        System.out.printf("HistogramChunkIT: %d series, %d histograms, %d chunks of Prometheus 2.42, %d of ours the"
                + " same bytes; headers compared %s; decoder cases %s%n", written.size(), histograms, chunks,
                sameBytes, headers, cases);
        assertEquals(Set.of(0, 0x40, 0x80), headers, "unknown, not a reset, a reset: each where 2.42 writes it");
        assertTrue(cases.containsAll(Set.of("value unchanged", "value in the window before", "value in a new window")),
                "sums XORed each way: " + cases);
    }

    private static List<String> texts(List<Chunk> chunks, Set<String> cases) {
        List<String> texts = new ArrayList<>();
        for (Chunk chunk : chunks) {
            assertEquals(Chunk.Encoding.HISTOGRAM, chunk.getType());
            HistogramChunkTest.decode(chunk.getData().toByteArray(), false, cases).histograms()
                    .forEach(h -> texts.add(HistogramChunkTest.text(h)));
        }
        return texts;
    }

    /** Each chunk's first and last time. */
    private static List<String> bounds(List<Chunk> chunks) {
        return chunks.stream().map(c -> c.getMinTimeMs() + ".." + c.getMaxTimeMs()).toList();
    }

    /**
     * Integer histograms of six series, every 10 s: a fixed layout over 250 (three chunks of 120, 120 and 10);
     * buckets appearing at the end, in a gap, on the negative side, in a new span and below the lowest (the chunk
     * recoded, not cut); a counter reset and a bucket gone (a reset too); staleness markers and the series going
     * on after them; a schema and a zero threshold changed; counts and sums of every size.
     */
    private static Map<String, List<Histogram>> series(long start) {
        Random random = new Random(20261127);
        Map<String, List<Histogram>> series = new TreeMap<>();
        series.put("hist_fixed", counter(start, 250, random, (i, positive, negative) -> { }));
        series.put("hist_growing", counter(start, 250, random, (i, positive, negative) -> {
            if (i >= 30) {
                positive.put(4, positive.get(3) / 2);
            }
            if (i >= 60) {
                positive.put(8, 1L + i);
            }
            if (i >= 90) {
                negative.put(-5, 7L);
            }
            if (i >= 130) {
                positive.put(40, (long) i * i);
            }
            if (i >= 200) {
                positive.put(-3, 2L);
            }
        }));
        series.put("hist_reset", counter(start, 200, random, (i, positive, negative) -> {
            if (i >= 70) {
                positive.replaceAll((index, count) -> count / 100);
                negative.replaceAll((index, count) -> count / 100);
            }
            if (i >= 150) {
                positive.remove(2);
            }
        }));
        List<Histogram> stale = new ArrayList<>();
        for (Histogram h : counter(start, 100, random, (i, positive, negative) -> { })) {
            int i = (int) ((h.getTimestamp() - start) / STEP);
            if (i == 40 || i == 41 || i == 80) {
                stale.add(HistogramChunkTest.stale(h.getTimestamp(), false));
            } else if (i < 40 || i >= 60 && i < 80 || i >= 90) {
                stale.add(h);
            }
        }
        series.put("hist_stale", stale);
        List<Histogram> schemas = new ArrayList<>();
        for (Histogram h : counter(start, 150, random, (i, positive, negative) -> { })) {
            int i = (int) ((h.getTimestamp() - start) / STEP);
            Histogram.Builder changed = h.toBuilder();
            if (i >= 50) {
                changed.setSchema(1);
            }
            if (i >= 100) {
                changed.setZeroThreshold(0.001);
            }
            schemas.add(changed.build());
        }
        series.put("hist_schema", schemas);
        series.put("hist_big", counter(start, 130, random, (i, positive, negative) -> {
            long big = i < 40 ? 1L << 30 : i < 80 ? 1L << 45 : 1L << 55;
            positive.replaceAll((index, count) -> count + big / 8 * i);
        }));
        return series;
    }

    /** Changes a histogram's buckets (index to absolute count) before it is made: the {@code i}th of its series. */
    private interface Shape {
        void change(int i, Map<Integer, Long> positive, Map<Integer, Long> negative);
    }

    /**
     * A counter histogram every 10 s from {@code start}, schema 3, the default zero threshold: six positive buckets
     * in two spans and two negative ones, counts growing by random steps (some still), sums growing by random
     * amounts; a timestamp a few ms late now and then, never where a chunk is cut.
     */
    private static List<Histogram> counter(long start, int n, Random random, Shape shape) {
        List<Histogram> histograms = new ArrayList<>();
        long[] counts = new long[8];
        long zero = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < counts.length; k++) {
                counts[k] += random.nextInt(4) == 0 ? 0 : random.nextInt(1 + k * 40);
            }
            zero += random.nextInt(3);
            sum += random.nextInt(5) == 0 ? 0 : random.nextDouble() * Math.pow(10, random.nextInt(6));
            Map<Integer, Long> positive = new TreeMap<>(Map.of(0, counts[0], 1, counts[1], 2, counts[2], 3, counts[3],
                    6, counts[4], 7, counts[5]));
            Map<Integer, Long> negative = new TreeMap<>(Map.of(-1, counts[6], 0, counts[7]));
            shape.change(i, positive, negative);
            long late = i % 10 == 5 ? 1 + random.nextInt(7) : 0;
            histograms.add(HistogramChunkTest.integer(start + i * STEP + late, 3, 0x1p-128, zero, sum, positive,
                    negative, Histogram.ResetHint.UNKNOWN));
        }
        return histograms;
    }
}
