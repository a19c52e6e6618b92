package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.RemoteRead;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.Query;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import io.github.promkinesis.protocol.prompb.ReadResponse;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * serve-archive's route (routes/read/remote-read.yaml) in the JVM, over two days that `compact` wrote from an
 * archive laid out by hour, out of order: counters of four instances of two tenants every 30 s, one with a
 * staleness marker and a gap, one with a counter reset, and a native histogram. Every answer is read back sample
 * by sample against the lines written: SAMPLES and STREAMED_XOR_CHUNKS (frames checked, chunks decoded by the test's
 * own reading of Prometheus' format), matchers with Prometheus' meaning, several queries in one request, the
 * tenant, the limits and the refusals.
 */
class ReadRouteTest {

    private static final long START = Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();
    private static final long END = START + Duration.ofDays(2).toMillis() - 1;
    private static final long STEP = 30_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    /** What the archive holds of req_total: labels (sorted, as a map) to samples' times and value bits. */
    private static final Map<Map<String, String>, TreeMap<Long, Long>> WRITTEN = new LinkedHashMap<>();
    /** The native histograms written, by series: time to HistogramChunkTest's text. */
    private static final Map<Map<String, String>, TreeMap<Long, String>> HISTOGRAMS = new LinkedHashMap<>();
    /** The float samples of mixed_seconds, whose middle is histograms. */
    private static final Map<Map<String, String>, TreeMap<Long, Long>> MIXED_FLOATS = new LinkedHashMap<>();
    private static Main server;
    private static Main limited;
    private static URI read;
    /** A server of tight limits: 6,000 samples, 60,000 bytes, no time. */
    private static URI readLimited;

    @BeforeAll
    static void compactAndServe() throws Exception {
        Path raw = work.resolve("raw");
        Map<String, List<String>> hours = new TreeMap<>();
        for (int instance = 0; instance < 4; instance++) {
            Map<String, String> labels = new TreeMap<>(Map.of("__name__", "req_total", "job", "api",
                    "instance", "i" + instance, "tenant", instance < 2 ? "a" : "b"));
            TreeMap<Long, Long> samples = new TreeMap<>();
            double counter = 0;
            for (long time = START + instance * 7; time <= END; time += STEP) {
                long index = (time - START) / STEP;
                if (instance == 1 && index >= 1000 && index < 1100) {
                    if (index == 1000) {
                        samples.put(time, JsonLineWriter.STALE_NAN_BITS);
                    }
                    continue;
                }
                counter = instance == 2 && index == 3000 ? 0.5 : counter + (index % 7) * 1.25 + instance / 3.0;
                samples.put(time, Double.doubleToRawLongBits(counter));
            }
            WRITTEN.put(labels, samples);
            for (Map.Entry<Long, Long> sample : samples.entrySet()) {
                double value = Double.longBitsToDouble(sample.getValue());
                String json = "{\"name\":\"req_total\",\"time\":" + sample.getKey() + ",\"value\":"
                        + (Double.isNaN(value) ? "\"NaN\",\"stale\":true" : String.valueOf(value)) + ",\"labels\":"
                        + labelsJson(labels) + "}";
                // late by up to an hour: an hour's object holds the hour before's samples too
                long arrived = sample.getKey() + (sample.getKey() / STEP % 3 == 0 ? 3_000_000 : 0);
                hours.computeIfAbsent(hour(arrived), h -> new ArrayList<>()).add(json);
            }
        }
        hours.get(hour(START + 3_600_000)).add("{\"name\":\"rpc_seconds\",\"time\":" + (START + 3_600_000)
                + ",\"histogram\":{\"count\":9,\"sum\":10.5,\"schema\":0,\"zero_threshold\":0.001,\"zero_count\":1,"
                + "\"reset_hint\":\"no\",\"buckets\":[{\"index\":1,\"lower\":1.0,\"upper\":2.0,\"count\":3},"
                + "{\"index\":2,\"lower\":2.0,\"upper\":4.0,\"count\":5}]},\"labels\":{\"__name__\":\"rpc_seconds\","
                + "\"job\":\"api\",\"tenant\":\"a\"}}");
        for (String line : histogramLines()) {
            Matcher time = Pattern.compile("\"time\":(\\d+)").matcher(line);
            assertTrue(time.find(), line);
            hours.computeIfAbsent(hour(Long.parseLong(time.group(1))), h -> new ArrayList<>()).add(line);
        }
        for (Map.Entry<String, List<String>> hour : hours.entrySet()) {
            List<String> lines = new ArrayList<>(hour.getValue());
            java.util.Collections.shuffle(lines, new java.util.Random(hour.getKey().hashCode()));
            Path object = raw.resolve(hour.getKey()).resolve("part-1.gz");
            Files.createDirectories(object.getParent());
            try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(object))) {
                out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        ServedArchive.compact(raw, work.resolve("compacted"), work, "2026-11-27..2026-11-28");
        ServedArchive.Served served = ServedArchive.serve(work.resolve("compacted"), Map.of(
                "TENANT_HEADER", "X-Scope-OrgID", "READ_MAX_SERIES", "4",
                // one request at a time: each test's requests, one after the other, are all answered only if an
                // answer gives its place back once sent
                "READ_MAX_CONCURRENT", "1"));
        server = served.main();
        read = served.read();
        ServedArchive.Served tight = ServedArchive.serve(work.resolve("compacted"), Map.of("READ_MAX_SAMPLES", "6000",
                "READ_MAX_BYTES", "60000", "READ_TIMEOUT", "0"));
        limited = tight.main();
        readLimited = tight.read();
        assertTrue(WRITTEN.values().stream().anyMatch(s -> s.containsValue(JsonLineWriter.STALE_NAN_BITS)));
    }

    @AfterAll
    static void stop() {
        for (Main main : new Main[] {server, limited}) {
            if (main != null) {
                main.stop();
            }
        }
    }

    @Test
    void samplesAnswerEverySampleOfTheRangeExactlyInLabelOrder() throws Exception {
        long from = START + 3 * 3_600_000 + 1;
        long to = END - 3_600_000;
        ReadResponse answer = samples(request(query(from, to, matcher(LabelMatcher.Type.EQ, "__name__", "req_total"))),
                null);
        assertEquals(1, answer.getResultsCount());
        assertEquals(expected(from, to, labels -> true, null), RemoteRead.series(answer.getResults(0).getTimeseriesList()));
        assertEquals(List.of("i0", "i1", "i2", "i3"), answer.getResults(0).getTimeseriesList().stream()
                .map(series -> value(series.getLabelsList(), "instance")).toList());
    }

    @Test
    void streamedChunksHoldTheSameSamplesOneSeriesAFrame() throws Exception {
        HttpResponse<byte[]> response = RemoteRead.post(HTTP, read, RemoteRead.request(List.of(
                ReadRequest.ResponseType.STREAMED_XOR_CHUNKS, ReadRequest.ResponseType.SAMPLES),
                query(START, END, matcher(LabelMatcher.Type.EQ, "__name__", "req_total"))), Map.of());
        // frames checked there: CRC, one series a frame, a series never resuming, chunks decoded
        RemoteRead.Answer answer = RemoteRead.streamed(response, 1);
        assertEquals(expected(START, END, labels -> true, null), answer.queries().get(0));
        assertEquals(List.of("i0", "i1", "i2", "i3"), answer.queries().get(0).keySet().stream()
                .map(labels -> labels.get("instance")).toList());
    }

    @Test
    void streamedChunksCarryNativeHistogramsAndSeriesThatChangedKind() throws Exception {
        Query query = query(START, END, matcher(LabelMatcher.Type.RE, "__name__", "hist_.+|mixed_.+"));
        HttpResponse<byte[]> response = RemoteRead.post(HTTP, read, RemoteRead.request(List.of(
                ReadRequest.ResponseType.STREAMED_XOR_CHUNKS), query), Map.of());
        RemoteRead.Answer streamed = RemoteRead.streamed(response, 1);
        assertEquals(HISTOGRAMS, streamed.histograms().get(0));
        Map<Map<String, String>, TreeMap<Long, Long>> floats = new LinkedHashMap<>();
        HISTOGRAMS.keySet().forEach(labels -> floats.put(labels, new TreeMap<>()));
        floats.putAll(MIXED_FLOATS);
        assertEquals(floats, streamed.queries().get(0));
        RemoteRead.Answer samples = RemoteRead.samples(RemoteRead.post(HTTP, read, RemoteRead.request(List.of(
                ReadRequest.ResponseType.SAMPLES), query), Map.of()));
        assertEquals(samples, streamed, "both answer types carry the same");

        Map<String, List<String>> kinds = new TreeMap<>();
        for (ChunkedReadResponse frame : RemoteRead.frames(response)) {
            ChunkedSeries series = frame.getChunkedSeries(0);
            List<String> types = kinds.computeIfAbsent(value(series.getLabelsList(), "__name__"),
                    name -> new ArrayList<>());
            series.getChunksList().forEach(chunk -> types.add(chunk.getType().name()));
        }
        // floats, then histograms (a new chunk after 120), then floats again
        assertEquals(List.of("XOR", "HISTOGRAM", "HISTOGRAM", "XOR"), kinds.get("mixed_seconds"));
        // a new chunk after 120, at the reset, after the staleness marker, at the new schema
        assertEquals(Collections.nCopies(5, "HISTOGRAM"), kinds.get("hist_int"));
        assertEquals(List.of("FLOAT_HISTOGRAM", "FLOAT_HISTOGRAM", "FLOAT_HISTOGRAM"), kinds.get("hist_float"));
    }

    @Test
    void matchersMeanWhatTheyMeanInPrometheusAndQueriesAreAnsweredInOrder() throws Exception {
        LabelMatcher name = matcher(LabelMatcher.Type.EQ, "__name__", "req_total");
        ReadResponse answer = samples(request(
                query(START, END, name, matcher(LabelMatcher.Type.RE, "instance", "i[12]")),
                query(START, END, name, matcher(LabelMatcher.Type.NRE, "instance", "i1|i2")),
                query(START, END, name, matcher(LabelMatcher.Type.EQ, "missing", "")),
                query(START, END, name, matcher(LabelMatcher.Type.NEQ, "missing", "")),
                query(START, END, name, matcher(LabelMatcher.Type.RE, "instance", "i")),
                query(START, END, matcher(LabelMatcher.Type.RE, "__name__", "req_.*"),
                        matcher(LabelMatcher.Type.NEQ, "instance", "i0"))), null);
        assertEquals(List.of(List.of("i1", "i2"), List.of("i0", "i3"), List.of("i0", "i1", "i2", "i3"), List.of(),
                List.of(), List.of("i1", "i2", "i3")), answer.getResultsList().stream().map(result ->
                result.getTimeseriesList().stream().map(s -> value(s.getLabelsList(), "instance")).toList()).toList());
    }

    @Test
    void aTenantSeesItsSeriesWithoutTheTenantLabel() throws Exception {
        ReadResponse answer = samples(request(query(START, END, matcher(LabelMatcher.Type.RE, "__name__", ".+"))), "a");
        List<TimeSeries> series = answer.getResults(0).getTimeseriesList();
        assertEquals(List.of("req_total/i0", "req_total/i1", "rpc_seconds/"), series.stream().map(s ->
                value(s.getLabelsList(), "__name__") + "/" + value(s.getLabelsList(), "instance")).toList());
        assertTrue(series.stream().allMatch(s -> value(s.getLabelsList(), "tenant").isEmpty()));
        assertEquals(expected(START, END, labels -> labels.get("tenant").equals("a"), "tenant"),
                RemoteRead.series(series.subList(0, 2)));
        TimeSeries histogram = series.get(2);
        assertEquals(1, histogram.getHistogramsCount());
        assertEquals(10.5, histogram.getHistograms(0).getSum());
        assertEquals(START + 3_600_000, histogram.getHistograms(0).getTimestamp());
    }

    @Test
    void refusalsNameTheirReasonAndNoDataIsAnEmptyAnswer() throws Exception {
        // five series: over READ_MAX_SERIES=4
        HttpResponse<byte[]> tooMany = post(request(query(START, END, matcher(LabelMatcher.Type.RE, "__name__",
                ".+"))), null);
        assertEquals(400, tooMany.statusCode());
        assertTrue(new String(tooMany.body(), StandardCharsets.UTF_8).contains("READ_MAX_SERIES"));
        HttpResponse<byte[]> notSnappy = HTTP.send(HttpRequest.newBuilder(read).header("Content-Type",
                "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(400, notSnappy.statusCode());
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(read).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, form.statusCode());
        HttpResponse<byte[]> unknownType = post(request(query(START, END, LabelMatcher.newBuilder().setTypeValue(7)
                .setName("job").setValue("api").build())), null);
        assertEquals(400, unknownType.statusCode());
        HttpResponse<byte[]> badRegex = post(request(query(START, END, matcher(LabelMatcher.Type.RE, "job", "("))),
                null);
        assertEquals(400, badRegex.statusCode());
        ReadResponse none = samples(request(query(START - 86_400_000L * 30, START - 1,
                matcher(LabelMatcher.Type.EQ, "__name__", "req_total"))), null);
        assertEquals(0, none.getResults(0).getTimeseriesCount());
        assertNotEquals(0, samples(request(query(START, START, matcher(LabelMatcher.Type.EQ, "instance", "i0"))), null)
                .getResults(0).getTimeseriesCount(), "a range of one millisecond holding a sample");
    }

    /**
     * Native histograms of tenant b, as JsonLineWriter writes them: hist_int, integer ones every minute (a bucket
     * appearing, a counter reset, a staleness marker and a gap, a new schema), hist_float, float ones (a reset),
     * and mixed_seconds, a float gauge that became a histogram and then a float again; all on the first day (the
     * limits test sizes the second by its index alone).
     */
    private static List<String> histogramLines() {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        TimeSeries.Builder integers = series("hist_int");
        for (int i = 0; i < 300; i++) {
            if (i > 200 && i < 220) {
                continue; // a gap after the staleness marker
            }
            long time = START + 90_000 + i * 60_000L;
            long c = i < 150 ? 10 + 3L * i : i - 149;
            Map<Integer, Long> positive = new TreeMap<>(Map.of(0, c, 1, 2 * c, 3, c / 2));
            if (i >= 100 && i < 150) {
                positive.put(6, (long) i);
            }
            integers.addHistograms(i == 200 ? HistogramChunkTest.stale(time, false) : HistogramChunkTest.integer(time,
                    i < 260 ? 1 : 0, 0x1p-128, c / 4, c * 1.25, positive, Map.of(-2, c / 3),
                    Histogram.ResetHint.UNKNOWN));
        }
        TreeMap<Long, String> integerTexts = new TreeMap<>();
        integers.getHistogramsList().forEach(h -> integerTexts.put(h.getTimestamp(), HistogramChunkTest.text(h)));
        TimeSeries.Builder floats = series("hist_float");
        for (int i = 0; i < 210; i++) {
            double c = i < 80 ? 1 + 0.25 * i : 0.25 * (i - 79);
            floats.addHistograms(HistogramChunkTest.floating(START + 45_000 + i * 60_000L, 2, 0x1p-128, c / 2, c * 3,
                    Map.of(1, c, 2, c * 2, 4, c / 4), Map.of(), Histogram.ResetHint.UNKNOWN));
        }
        TimeSeries.Builder mixed = series("mixed_seconds");
        TreeMap<Long, Long> mixedFloats = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            long time = START + Duration.ofHours(10).toMillis() + i * 30_000L;
            if (i < 100 || i >= 250) {
                mixed.addSamples(Sample.newBuilder().setTimestamp(time).setValue(i * 1.5));
                mixedFloats.put(time, Double.doubleToRawLongBits(i * 1.5));
            } else {
                mixed.addHistograms(HistogramChunkTest.integer(time, 0, 0, 0, i, Map.of(0, (long) i), Map.of(),
                        Histogram.ResetHint.GAUGE));
            }
        }
        for (TimeSeries.Builder series : List.of(integers, floats, mixed)) {
            Map<String, String> labels = map(series.getLabelsList());
            TreeMap<Long, String> texts = new TreeMap<>();
            series.getHistogramsList().forEach(h -> texts.put(h.getTimestamp(), HistogramChunkTest.text(h)));
            HISTOGRAMS.put(labels, texts);
            request.addTimeseries(series);
        }
        MIXED_FLOATS.put(map(mixed.getLabelsList()), mixedFloats);
        JsonLineWriter writer = new JsonLineWriter();
        writer.setMaxSamples(10_000);
        JsonLines lines = writer.toJsonLines(request.build());
        List<String> text = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ByteBuffer line = lines.slice(i, i + 1);
            text.add(StandardCharsets.UTF_8.decode(line).toString().strip());
        }
        return text;
    }

    private static TimeSeries.Builder series(String name) {
        return TimeSeries.newBuilder().addLabels(Label.newBuilder().setName("__name__").setValue(name))
                .addLabels(Label.newBuilder().setName("job").setValue("api"))
                .addLabels(Label.newBuilder().setName("tenant").setValue("b"));
    }

    private static Map<Map<String, String>, TreeMap<Long, Long>> expected(long from, long to,
            java.util.function.Predicate<Map<String, String>> which, String without) {
        Map<Map<String, String>, TreeMap<Long, Long>> expected = new LinkedHashMap<>();
        WRITTEN.forEach((labels, samples) -> {
            if (which.test(labels)) {
                Map<String, String> answered = new TreeMap<>(labels);
                if (without != null) {
                    answered.remove(without);
                }
                expected.put(answered, new TreeMap<>(samples.subMap(from, true, to, true)));
            }
        });
        return expected;
    }

    @Test
    void eachLimitIsNamedInItsRefusal() throws Exception {
        LabelMatcher name = matcher(LabelMatcher.Type.EQ, "__name__", "req_total");
        // the second day of two series: 5,760 samples, within READ_MAX_SAMPLES, over READ_MAX_BYTES (sized by the
        // index alone: no time spent reading)
        assertRefused(400, "READ_MAX_BYTES", query(START + 86_400_000, END, name, matcher(LabelMatcher.Type.RE,
                "instance", "i[03]")));
        // both days of two series: 11,520 samples by the index
        assertRefused(400, "READ_MAX_SAMPLES", query(START, END, name, matcher(LabelMatcher.Type.RE, "instance",
                "i[03]")));
        // an hour: within both, but READ_TIMEOUT=0
        assertRefused(503, "READ_TIMEOUT", query(START, START + 3_600_000, name,
                matcher(LabelMatcher.Type.EQ, "instance", "i0")));
    }

    private static void assertRefused(int status, String limit, Query query) throws Exception {
        HttpResponse<byte[]> refused = RemoteRead.post(HTTP, readLimited, request(query), Map.of());
        String answer = new String(refused.body(), StandardCharsets.UTF_8);
        assertEquals(status, refused.statusCode(), answer);
        assertTrue(answer.contains(limit), answer);
    }

    private static ReadResponse samples(ReadRequest request, String tenant) throws Exception {
        HttpResponse<byte[]> response = post(request, tenant);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("snappy", response.headers().firstValue("Content-Encoding").orElse(""));
        return ReadResponse.parseFrom(Snappy.uncompress(response.body()));
    }

    private static HttpResponse<byte[]> post(ReadRequest request, String tenant) throws IOException,
            InterruptedException {
        return RemoteRead.post(HTTP, read, request, tenant == null ? Map.of() : Map.of("X-Scope-OrgID", tenant));
    }

    private static ReadRequest request(Query... queries) {
        return RemoteRead.request(List.of(), queries);
    }

    private static Query query(long start, long end, LabelMatcher... matchers) {
        return RemoteRead.query(start, end, matchers);
    }

    private static LabelMatcher matcher(LabelMatcher.Type type, String name, String value) {
        return RemoteRead.matcher(type, name, value);
    }

    private static Map<String, String> map(List<Label> labels) {
        Map<String, String> map = new TreeMap<>();
        labels.forEach(label -> map.put(label.getName(), label.getValue()));
        assertEquals(labels.stream().map(Label::getName).sorted().toList(), labels.stream().map(Label::getName)
                .toList(), "labels sorted by name");
        return map;
    }

    private static String value(List<Label> labels, String name) {
        return labels.stream().filter(label -> label.getName().equals(name)).map(Label::getValue).findFirst()
                .orElse("");
    }

    private static String labelsJson(Map<String, String> labels) {
        StringBuilder json = new StringBuilder("{");
        labels.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":\"").append(value).append('"'));
        return json.append('}').toString();
    }

    private static String hour(long time) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(time));
    }
}
