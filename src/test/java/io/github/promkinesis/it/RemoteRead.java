package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.Query;
import io.github.promkinesis.protocol.prompb.QueryResult;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import io.github.promkinesis.protocol.prompb.ReadResponse;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.read.HistogramChunkTest;
import io.github.promkinesis.read.XorChunkTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Prometheus' side of remote read against a {@code serve-archive} process: requests as Prometheus sends them, and
 * the answers read back sample by sample, each query's series as labels to samples (time to the value's bits, so a
 * staleness marker is told from any other NaN), in the order the server answered them.
 */
public final class RemoteRead {

    public static final String STREAMED = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    /**
     * Each query's series: labels (sorted by name) to float samples, time to value bits; and apart, the series that
     * have native histograms, labels to histograms, time to {@link HistogramChunkTest#text}.
     */
    public record Answer(List<Map<Map<String, String>, TreeMap<Long, Long>>> queries,
                         List<Map<Map<String, String>, TreeMap<Long, String>>> histograms) {
    }

    private RemoteRead() {
    }

    public static ReadRequest request(List<ReadRequest.ResponseType> accepted, Query... queries) {
        return ReadRequest.newBuilder().addAllQueries(List.of(queries)).addAllAcceptedResponseTypes(accepted).build();
    }

    public static Query query(long start, long end, LabelMatcher... matchers) {
        return Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end).addAllMatchers(List.of(matchers))
                .build();
    }

    public static LabelMatcher matcher(LabelMatcher.Type type, String name, String value) {
        return LabelMatcher.newBuilder().setType(type).setName(name).setValue(value).build();
    }

    /** POSTed as Prometheus does (snappy, its version header), with {@code headers} besides. */
    public static HttpResponse<byte[]> post(HttpClient http, URI read, ReadRequest request, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(read).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.toByteArray())));
        headers.forEach(builder::header);
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A SAMPLES answer: a snappy ReadResponse, a result a query, each series' samples once and in time order. */
    public static Answer samples(HttpResponse<byte[]> response) throws IOException {
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals("application/x-protobuf", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("snappy", response.headers().firstValue("Content-Encoding").orElse(""));
        List<Map<Map<String, String>, TreeMap<Long, Long>>> queries = new ArrayList<>();
        List<Map<Map<String, String>, TreeMap<Long, String>>> histograms = new ArrayList<>();
        for (QueryResult result : ReadResponse.parseFrom(Snappy.uncompress(response.body())).getResultsList()) {
            queries.add(series(result.getTimeseriesList()));
            Map<Map<String, String>, TreeMap<Long, String>> withHistograms = new LinkedHashMap<>();
            for (TimeSeries one : result.getTimeseriesList()) {
                for (Histogram histogram : one.getHistogramsList()) {
                    TreeMap<Long, String> texts = withHistograms.computeIfAbsent(labels(one.getLabelsList()),
                            l -> new TreeMap<>());
                    assertTrue(texts.isEmpty() || histogram.getTimestamp() > texts.lastKey(), "in time order, once");
                    texts.put(histogram.getTimestamp(), HistogramChunkTest.text(histogram));
                }
            }
            histograms.add(withHistograms);
        }
        return new Answer(queries, histograms);
    }

    /** A result's series: labels to samples, each series once, its samples in time order, once. */
    public static Map<Map<String, String>, TreeMap<Long, Long>> series(List<TimeSeries> result) {
        Map<Map<String, String>, TreeMap<Long, Long>> series = new LinkedHashMap<>();
        for (TimeSeries one : result) {
            TreeMap<Long, Long> samples = new TreeMap<>();
            long last = Long.MIN_VALUE;
            for (Sample sample : one.getSamplesList()) {
                assertTrue(sample.getTimestamp() > last, "in time order, once");
                last = sample.getTimestamp();
                samples.put(sample.getTimestamp(), Double.doubleToRawLongBits(sample.getValue()));
            }
            assertEquals(null, series.put(labels(one.getLabelsList()), samples), "a series answered once");
        }
        return series;
    }

    /**
     * A STREAMED_XOR_CHUNKS answer: frames (varint length, big-endian CRC32C, ChunkedReadResponse) of one series
     * each, in query order, a series' frames together, its chunks in time order and never overlapping, decoded as
     * Prometheus reads them: XOR chunks as xor.go, histogram chunks as histogram.go and float_histogram.go.
     */
    public static Answer streamed(HttpResponse<byte[]> response, int queryCount) throws IOException {
        answeredStreamed(response);
        return streamed(response.body(), queryCount);
    }

    /** The frames of a STREAMED_XOR_CHUNKS answer's body, as {@link #streamed(HttpResponse, int)} reads them. */
    public static Answer streamed(byte[] body, int queryCount) throws IOException {
        List<Map<Map<String, String>, TreeMap<Long, Long>>> queries = new ArrayList<>();
        List<Map<Map<String, String>, TreeMap<Long, String>>> histograms = new ArrayList<>();
        for (int i = 0; i < queryCount; i++) {
            queries.add(new LinkedHashMap<>());
            histograms.add(new LinkedHashMap<>());
        }
        long lastQuery = 0;
        Map<String, String> lastSeries = null;
        long lastTime = Long.MIN_VALUE;
        for (ChunkedReadResponse frame : frames(body)) {
            assertTrue(frame.getQueryIndex() >= lastQuery, "queries answered in order");
            lastQuery = frame.getQueryIndex();
            ChunkedSeries series = frame.getChunkedSeries(0);
            Map<String, String> labels = labels(series.getLabelsList());
            Map<Map<String, String>, TreeMap<Long, Long>> query = queries.get((int) frame.getQueryIndex());
            assertTrue(labels.equals(lastSeries) || !query.containsKey(labels), "a series never resumes: " + labels);
            if (!labels.equals(lastSeries)) {
                lastTime = Long.MIN_VALUE;
            }
            lastSeries = labels;
            TreeMap<Long, Long> samples = query.computeIfAbsent(labels, l -> new TreeMap<>());
            for (Chunk chunk : series.getChunksList()) {
                assertTrue(chunk.getMinTimeMs() > lastTime, "chunks in time order, not overlapping: " + labels);
                lastTime = chunk.getMaxTimeMs();
                List<Long> times = new ArrayList<>();
                if (chunk.getType() == Chunk.Encoding.XOR) {
                    XorChunkTest.Decoded decoded = XorChunkTest.decode(chunk.getData().toByteArray(),
                            new HashSet<>());
                    for (int i = 0; i < decoded.times().length; i++) {
                        times.add(decoded.times()[i]);
                        samples.put(decoded.times()[i], decoded.bits()[i]);
                    }
                } else {
                    TreeMap<Long, String> texts = histograms.get((int) frame.getQueryIndex())
                            .computeIfAbsent(labels, l -> new TreeMap<>());
                    for (Histogram histogram : HistogramChunkTest.decode(chunk).histograms()) {
                        times.add(histogram.getTimestamp());
                        texts.put(histogram.getTimestamp(), HistogramChunkTest.text(histogram));
                    }
                }
                assertEquals(chunk.getMinTimeMs(), times.get(0));
                assertEquals(chunk.getMaxTimeMs(), times.get(times.size() - 1));
                for (int i = 1; i < times.size(); i++) {
                    assertTrue(times.get(i) > times.get(i - 1), "in time order, once");
                }
            }
        }
        return new Answer(queries, histograms);
    }

    /** A STREAMED_XOR_CHUNKS answer's frames, each of one series, its CRC32C checked. */
    public static List<ChunkedReadResponse> frames(HttpResponse<byte[]> response) throws IOException {
        answeredStreamed(response);
        return frames(response.body());
    }

    private static void answeredStreamed(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), new String(response.body()));
        assertEquals(STREAMED, response.headers().firstValue("Content-Type").orElse(""));
    }

    /** The frames, each checked as Prometheus' ChunkedReader checks them: its CRC32C. */
    private static List<ChunkedReadResponse> frames(byte[] body) throws IOException {
        List<ChunkedReadResponse> frames = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(body);
        while (!in.isAtEnd()) {
            int length = in.readRawVarint32();
            byte[] crc = in.readRawBytes(4);
            byte[] message = in.readRawBytes(length);
            CRC32C check = new CRC32C();
            check.update(message);
            assertEquals((int) check.getValue(), (crc[0] & 0xff) << 24 | (crc[1] & 0xff) << 16
                    | (crc[2] & 0xff) << 8 | crc[3] & 0xff, "the frame's CRC32C");
            ChunkedReadResponse frame = ChunkedReadResponse.parseFrom(message);
            assertEquals(1, frame.getChunkedSeriesCount(), "one series a frame");
            frames.add(frame);
        }
        return frames;
    }

    /** Until GET {@code health} answers 200; the process ending first, or the time running out, fails with its log. */
    static void awaitHealth(HttpClient http, URI health, Process process, Path log, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + " before " + health + " answered:\n"
                        + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(health + " not 200 after " + timeout + ":\n" + Files.readString(log));
    }

    public static Map<String, String> labels(List<Label> labels) {
        Map<String, String> map = new TreeMap<>();
        labels.forEach(label -> map.put(label.getName(), label.getValue()));
        assertEquals(labels.stream().map(Label::getName).sorted().toList(), labels.stream().map(Label::getName)
                .toList(), "labels sorted by name");
        return map;
    }
}
