package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.protocol.writev2.Request;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remote write 2.0 against kinesalite: requests built here (Debian's Prometheus 2.42 cannot send 2.0), with
 * their own symbol tables, read back from the stream and compared with the same samples sent as 1.0.
 */
class RemoteWriteV2IT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final Map<String, String> V2 = RemoteWriteBodies.V2_HEADERS;

    private static Deployment it;

    @BeforeAll
    static void start() throws Exception {
        it = Deployment.inProcess("RemoteWriteV2IT", 2, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        it.close();
    }

    @Test
    void floatSamplesArriveAsTheSameLinesAs1AndTheAnswerCountsThem() throws Exception {
        WriteRequest samples = RemoteWriteBodies.generated("v2", 300, 3, 5);
        List<String> mark = it.mark();

        HttpResponse<String> answer = it.adapter.send("/api/v1/write", "POST", RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(samples)), V2);

        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(SampleLines.sent(samples), it.arrivedSince(mark));
        assertEquals("900", written(answer, "Samples"));
        assertEquals("0", written(answer, "Histograms"));
        assertEquals("0", written(answer, "Exemplars"));
    }

    @Test
    void theFixtureSentAs2ArrivesWhole() throws Exception {
        WriteRequest fixture = RemoteWriteBodies.parse(RemoteWriteBodies.fixture());
        List<String> mark = it.mark();

        HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(fixture)), V2);

        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(SampleLines.sent(fixture), it.arrivedSince(mark));
        assertEquals(String.valueOf(SampleLines.sent(fixture).size()), written(answer, "Samples"));
    }

    @Test
    void histogramsExemplarsAndMetadataArriveAsTheirOwnLinesAndAreCounted() throws Exception {
        List<String> symbols = List.of("", "__name__", "rpc_seconds", "job", "api", "trace_id", "t-1",
                "RPC latency.", "seconds");
        Request request = Request.newBuilder().addAllSymbols(symbols)
                .addTimeseries(io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder()
                        .addAllLabelsRefs(List.of(1, 2, 3, 4))
                        .addHistograms(io.github.promkinesis.protocol.writev2.Histogram.newBuilder()
                                .setCountInt(5).setSum(1.25).setSchema(1).setZeroThreshold(0.001).setZeroCountInt(1)
                                .addPositiveSpans(io.github.promkinesis.protocol.writev2.BucketSpan.newBuilder()
                                        .setOffset(-1).setLength(2))
                                .addAllPositiveDeltas(List.of(2L, 0L)).setTimestamp(1_795_000_000_000L))
                        .addExemplars(io.github.promkinesis.protocol.writev2.Exemplar.newBuilder()
                                .addAllLabelsRefs(List.of(5, 6)).setValue(0.3).setTimestamp(1_795_000_000_001L))
                        .setMetadata(io.github.promkinesis.protocol.writev2.Metadata.newBuilder()
                                .setType(io.github.promkinesis.protocol.writev2.Metadata.MetricType.METRIC_TYPE_HISTOGRAM)
                                .setHelpRef(7).setUnitRef(8))
                        .setCreatedTimestamp(1_794_999_000_000L))
                .addTimeseries(io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder()
                        .addAllLabelsRefs(List.of(1, 2, 3, 6))
                        .addSamples(io.github.promkinesis.protocol.writev2.Sample.newBuilder()
                                .setValue(4).setTimestamp(1_795_000_000_000L)))
                .build();
        List<String> mark = it.mark();

        HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), V2);

        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals("1", written(answer, "Samples"));
        assertEquals("1", written(answer, "Histograms"));
        assertEquals("1", written(answer, "Exemplars"));
        Map<String, JsonNode> byKind = new HashMap<>();
        for (var record : it.stream.read(mark)) {
            JsonNode line = JSON.readTree(record.data().asUtf8String());
            byKind.put(line.has("histogram") ? "histogram" : line.has("exemplar") ? "exemplar" : "value", line);
        }
        JsonNode histogram = byKind.get("histogram");
        assertEquals("rpc_seconds", histogram.get("name").textValue());
        assertEquals("{\"__name__\":\"rpc_seconds\",\"job\":\"api\"}", histogram.get("labels").toString());
        assertEquals(5, histogram.get("histogram").get("count").longValue());
        assertEquals(1_794_999_000_000L, histogram.get("histogram").get("created").longValue());
        // schema 1: bucket i is (2^((i-1)/2), 2^(i/2)]; indexes -1 and 0 with counts 2 and 2+0
        JsonNode buckets = histogram.get("histogram").get("buckets");
        assertEquals(2, buckets.size());
        assertEquals(-1, buckets.get(0).get("index").intValue());
        assertEquals(0.5, buckets.get(0).get("lower").doubleValue(), 1e-12);
        assertEquals(Math.sqrt(0.5), buckets.get(0).get("upper").doubleValue(), 1e-12);
        assertEquals(2, buckets.get(0).get("count").longValue());
        assertEquals(1.0, buckets.get(1).get("upper").doubleValue(), 1e-12);
        assertEquals(2, buckets.get(1).get("count").longValue());
        JsonNode exemplar = byKind.get("exemplar");
        assertEquals(0.3, exemplar.get("exemplar").get("value").doubleValue());
        assertEquals("t-1", exemplar.get("exemplar").get("labels").get("trace_id").textValue());
        assertEquals(4.0, byKind.get("value").get("value").doubleValue());
        assertEquals(3, byKind.size(), "metadata lines are off by default");
    }

    @Test
    void a10RequestWithHistogramsAndExemplarsWritesThemToo() throws Exception {
        WriteRequest request = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                .addLabels(label("__name__", "gc_seconds")).addLabels(label("job", "jvm"))
                .addHistograms(io.github.promkinesis.protocol.prompb.Histogram.newBuilder().setCountFloat(3).setSum(0.75)
                        .setSchema(-53).addAllCustomValues(List.of(0.5)).addPositiveSpans(
                                io.github.promkinesis.protocol.prompb.BucketSpan.newBuilder().setLength(2))
                        .addAllPositiveCounts(List.of(2.0, 1.0)).setTimestamp(1_795_000_000_000L))
                .addExemplars(io.github.promkinesis.protocol.prompb.Exemplar.newBuilder()
                        .addLabels(label("trace_id", "x")).setValue(0.6).setTimestamp(1_795_000_000_000L))
                .addExemplars(io.github.promkinesis.protocol.prompb.Exemplar.newBuilder().setValue(0.1).setTimestamp(1)))
                .build();
        List<String> mark = it.mark();

        HttpResponse<String> answer = it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));

        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(List.of("0", "1", "2"), List.of(written(answer, "Samples"), written(answer, "Histograms"),
                written(answer, "Exemplars")));
        List<String> lines = new ArrayList<>();
        for (var record : it.stream.read(mark)) {
            lines.add(record.data().asUtf8String());
        }
        lines.sort(null);
        assertEquals(3, lines.size());
        JsonNode histogram = JSON.readTree(lines.stream().filter(l -> l.contains("\"histogram\"")).findFirst().orElseThrow());
        assertEquals("[{\"index\":0,\"lower\":\"-Inf\",\"upper\":0.5,\"count\":2.0},"
                + "{\"index\":1,\"lower\":0.5,\"upper\":\"+Inf\",\"count\":1.0}]",
                histogram.get("histogram").get("buckets").toString());
    }

    @Test
    void metadataLinesWhenEnabled() throws Exception {
        try (Deployment withMetadata = Deployment.inProcess("RemoteWriteV2IT-metadata", 1,
                Map.of("OUTPUT_METADATA_LINES", "true"))) {
            WriteRequest metadataOnly = WriteRequest.newBuilder().addMetadata(MetricMetadata.newBuilder()
                    .setType(MetricMetadata.MetricType.COUNTER).setMetricFamilyName("up_total").setHelp("Ups.")
                    .setUnit("ups")).build();
            List<String> mark = withMetadata.mark();

            assertEquals(204, withMetadata.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(metadataOnly))
                    .statusCode());

            List<software.amazon.awssdk.services.kinesis.model.Record> records = withMetadata.stream.read(mark);
            assertEquals(1, records.size());
            JsonNode line = JSON.readTree(records.get(0).data().asUtf8String());
            assertEquals("up_total", line.get("name").textValue());
            assertEquals("{\"type\":\"counter\",\"help\":\"Ups.\",\"unit\":\"ups\"}", line.get("metadata").toString());
        }
    }

    @Test
    void referencesOutsideTheSymbolsOrAnOddLabelCountAre400WithNothingWritten() throws Exception {
        Request outOfRange = Request.newBuilder().addSymbols("").addSymbols("__name__").addSymbols("up")
                .addTimeseries(io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder()
                        .addLabelsRefs(1).addLabelsRefs(7)
                        .addSamples(io.github.promkinesis.protocol.writev2.Sample.newBuilder().setValue(1).setTimestamp(1)))
                .build();
        Request odd = outOfRange.toBuilder().setTimeseries(0, outOfRange.getTimeseries(0).toBuilder()
                .clearLabelsRefs().addLabelsRefs(1).addLabelsRefs(2).addLabelsRefs(1)).build();
        Request helpOutOfRange = outOfRange.toBuilder().setTimeseries(0, outOfRange.getTimeseries(0).toBuilder()
                .clearLabelsRefs().addLabelsRefs(1).addLabelsRefs(2)
                .setMetadata(io.github.promkinesis.protocol.writev2.Metadata.newBuilder().setHelpRef(99))).build();
        List<String> mark = it.mark();

        for (Request bad : List.of(outOfRange, odd, helpOutOfRange)) {
            HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(bad), V2);
            assertEquals(400, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("InvalidRequestException"), answer.body());
            assertEquals("0", written(answer, "Samples"));
        }
        assertEquals(List.of(), it.arrivedSince(mark));
    }

    @Test
    void aCorruptBodyIs400() throws Exception {
        byte[] corrupt = RemoteWriteBodies.snappy(WriteRequest.getDefaultInstance());
        HttpResponse<String> notProtobuf = it.adapter.send("/receive", "POST",
                org.xerial.snappy.Snappy.compress(new byte[] {(byte) 0x22, (byte) 0xff, 0x01}), V2);
        HttpResponse<String> notSnappy = it.adapter.send("/receive", "POST", "not snappy".getBytes(), V2);

        assertEquals(204, it.adapter.send("/receive", "POST", corrupt, V2).statusCode(), "an empty request");
        assertEquals(400, notProtobuf.statusCode(), notProtobuf.body());
        assertEquals(400, notSnappy.statusCode(), notSnappy.body());
    }

    // The MUST cases of prometheus/compliance remotewrite/receiver (request_test.go, metric_test.go), ported.

    @Test
    void complianceBadContentTypesAndEncodingsAre415() throws Exception {
        byte[] corrupt = RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(request(series(Map.of("__name__", "up"), 1.0))));
        corrupt[0] = '0';
        for (String contentType : List.of("application/json", "image/png")) {
            assertEquals(415, it.adapter.send("/receive", "POST", corrupt, Map.of("Content-Encoding", "snappy",
                    "Content-Type", contentType)).statusCode(), contentType);
        }
        for (String encoding : List.of("gzip", "deflate")) {
            assertEquals(415, it.adapter.send("/receive", "POST", corrupt, Map.of("Content-Encoding", encoding,
                    "Content-Type", V2.get("Content-Type"))).statusCode(), encoding);
        }
    }

    @Test
    void complianceACorruptBodyIs400() throws Exception {
        byte[] corrupt = RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(request(series(Map.of("__name__", "up"), 1.0))));
        corrupt[0] = '0';

        assertEquals(400, it.adapter.send("/receive", "POST", corrupt, V2).statusCode());
    }

    @Test
    void complianceSingleMetricsOfEveryKindOfValueAndLabel() throws Exception {
        double[] values = {1.0, Double.longBitsToDouble(0x7ff0000000000002L), Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        List<Map<String, String>> good = List.of(Map.of("__name__", "up"),
                Map.of("__name__", "up", "job", "test", "instance", "localhost:9090"),
                Map.of("__name__", "up", "job", "test\njob\n", "instance", "localhost:9090"),
                Map.of("__name__", "resource.cpu.usage", "job.name", "testjob", "instance.name", "localhost:9090"),
                Map.of("__name__", "resource cpu usage", "job name", "testjob", "instance name", "localhost:9090"));
        for (double value : values) {
            for (Map<String, String> labels : good) {
                WriteRequest one = request(series(labels, value));
                List<String> mark = it.mark();
                HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(one)), V2);
                assertEquals(204, answer.statusCode(), labels + " " + value + ": " + answer.body());
                assertEquals("1", written(answer, "Samples"));
                assertEquals(SampleLines.sent(one), it.arrivedSince(mark));
            }
            for (Map<String, String> labels : List.of(Map.of("job", "testjob", "instance", "localhost:9090"),
                    Map.<String, String>of())) {
                HttpResponse<String> answer = it.adapter.send("/receive", "POST",
                        RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(request(series(labels, value)))), V2);
                assertEquals(400, answer.statusCode(), labels + ": " + answer.body());
                assertEquals("0", written(answer, "Samples"));
            }
        }
    }

    @Test
    void complianceOneNamelessSeriesAmongValidOnesIs400AfterTheOthersAreWritten() throws Exception {
        WriteRequest mixed = request(series(Map.of("job", "testjob", "instance", "localhost:9090"), 1),
                series(Map.of("__name__", "up", "job", "testjob", "instance", "localhost:9091"), 1),
                series(Map.of("__name__", "up", "job", "testjob", "instance", "localhost:9092"), 1),
                series(Map.of("__name__", "up", "job", "testjob", "instance", "localhost:9093"), 1));
        List<String> mark = it.mark();

        HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(mixed)), V2);

        assertEquals(400, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("without a metric name"), answer.body());
        assertEquals("3", written(answer, "Samples"));
        assertEquals(SampleLines.sent(request(mixed.getTimeseries(1), mixed.getTimeseries(2), mixed.getTimeseries(3))),
                it.arrivedSince(mark));
    }

    @Test
    void complianceHistogramsOfEveryShapeAreWrittenAndABadCountIs400() throws Exception {
        Object[][] cases = { // positive, negative, zero, custom buckets, bad count, expected status
            {true, true, true, false, false, 204}, {true, false, false, true, false, 204},
            {true, false, true, false, false, 204}, {false, true, false, false, false, 204},
            {false, false, true, false, false, 204}, {false, false, false, false, false, 204},
            {true, false, false, false, true, 400}};
        for (Object[] c : cases) {
            io.github.promkinesis.protocol.writev2.Histogram histogram = complianceHistogram((Boolean) c[0],
                    (Boolean) c[1], (Boolean) c[2], (Boolean) c[3], (Boolean) c[4]);
            Request request = Request.newBuilder().addAllSymbols(List.of("", "__name__", "test_histogram"))
                    .addTimeseries(io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder()
                            .addAllLabelsRefs(List.of(1, 2)).addHistograms(histogram)).build();
            List<String> mark = it.mark();

            HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), V2);

            assertEquals(c[5], answer.statusCode(), List.of(c) + ": " + answer.body());
            String written = (Integer) c[5] == 204 ? "1" : "0";
            assertEquals(written, written(answer, "Histograms"), List.of(c).toString());
            List<software.amazon.awssdk.services.kinesis.model.Record> records = it.stream.read(mark);
            assertEquals(Integer.parseInt(written), records.size());
            if (!records.isEmpty()) {
                JsonNode line = JSON.readTree(records.get(0).data().asUtf8String()).get("histogram");
                long inBuckets = line.get("zero_count").longValue();
                for (JsonNode bucket : line.get("buckets")) {
                    inBuckets += bucket.get("count").longValue();
                }
                assertEquals(histogram.getCountInt(), line.get("count").longValue());
                assertEquals(histogram.getCountInt(), inBuckets, "absolute bucket counts add up to the count");
            }
        }
    }

    @Test
    void complianceExemplarsWithTheirSamplesAreWrittenAndCounted() throws Exception {
        List<Map<String, String>> exemplarLabels = List.of(Map.of("trace_id", "abc123def456"),
                Map.of("trace_id", "xyz789", "span_id", "span123"), Map.of("user_id", "user123"),
                Map.of("trace_id", "trace456", "user", "admin", "endpoint", "/login"), Map.of(),
                Map.of("trace_id", "trace-with-dashes_and_underscores.123"), Map.of("trace_id", "unicode_trace_测试"));
        for (Map<String, String> labels : exemplarLabels) {
            List<String> symbols = new ArrayList<>(List.of("", "__name__", "unicode_test", "region", "🌍"));
            var exemplar = io.github.promkinesis.protocol.writev2.Exemplar.newBuilder().setValue(0.125)
                    .setTimestamp(1_795_000_000_000L);
            new TreeMap<>(labels).forEach((name, value) -> {
                symbols.add(name);
                exemplar.addLabelsRefs(symbols.size() - 1);
                symbols.add(value);
                exemplar.addLabelsRefs(symbols.size() - 1);
            });
            Request request = Request.newBuilder().addAllSymbols(symbols)
                    .addTimeseries(io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder()
                            .addAllLabelsRefs(List.of(1, 2, 3, 4)).addExemplars(exemplar)
                            .addSamples(io.github.promkinesis.protocol.writev2.Sample.newBuilder().setValue(0.125)
                                    .setTimestamp(1_795_000_000_000L)))
                    .build();
            List<String> mark = it.mark();

            HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), V2);

            assertEquals(204, answer.statusCode(), labels + ": " + answer.body());
            assertEquals(List.of("1", "1"), List.of(written(answer, "Samples"), written(answer, "Exemplars")));
            JsonNode line = null;
            for (var record : it.stream.read(mark)) {
                JsonNode read = JSON.readTree(record.data().asUtf8String());
                if (read.has("exemplar")) {
                    line = read;
                }
            }
            assertEquals(JSON.valueToTree(new TreeMap<>(labels)), line.get("exemplar").get("labels"));
            assertEquals("🌍", line.get("labels").get("region").textValue());
        }
    }

    @Test
    void complianceMetadataOfEveryTypeWithItsSampleOrHistogramIs204() throws Exception {
        for (var type : io.github.promkinesis.protocol.writev2.Metadata.MetricType.values()) {
            if (type == io.github.promkinesis.protocol.writev2.Metadata.MetricType.UNRECOGNIZED) {
                continue;
            }
            boolean histogram = type == io.github.promkinesis.protocol.writev2.Metadata.MetricType.METRIC_TYPE_HISTOGRAM;
            var series = io.github.promkinesis.protocol.writev2.TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                    .setMetadata(io.github.promkinesis.protocol.writev2.Metadata.newBuilder().setType(type)
                            .setHelpRef(3).setUnitRef(4));
            if (histogram) {
                series.addHistograms(complianceHistogram(true, true, true, false, false));
            } else {
                series.addSamples(io.github.promkinesis.protocol.writev2.Sample.newBuilder().setValue(1)
                        .setTimestamp(1_795_000_000_000L));
            }
            Request request = Request.newBuilder().addAllSymbols(List.of("", "__name__", "some_metric",
                    "Test metric with\nnewlines and \"quotes\"", "bytes/sec")).addTimeseries(series).build();

            HttpResponse<String> answer = it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), V2);

            assertEquals(204, answer.statusCode(), type + ": " + answer.body());
            assertEquals(histogram ? List.of("0", "1") : List.of("1", "0"),
                    List.of(written(answer, "Samples"), written(answer, "Histograms")), type.toString());
        }
    }

    /** The compliance suite's histogram: positive deltas decode to 1, 3, 4, 7, 8; negative to 1, 2; zero 1. */
    private static io.github.promkinesis.protocol.writev2.Histogram complianceHistogram(boolean positive,
            boolean negative, boolean zero, boolean custom, boolean badCount) {
        var histogram = io.github.promkinesis.protocol.writev2.Histogram.newBuilder().setSum(1.0);
        long count = 0;
        if (positive) {
            histogram.addPositiveSpans(span(0, 3)).addPositiveSpans(span(2, 2)).addAllPositiveDeltas(List.of(1L, 2L, 1L, 3L, 1L));
            count += 23;
        }
        if (negative) {
            histogram.addNegativeSpans(span(0, 2)).addAllNegativeDeltas(List.of(1L, 1L));
            count += 3;
        }
        if (zero) {
            histogram.setZeroCountInt(1);
            count += 1;
        }
        if (custom) {
            histogram.setSchema(-53).addAllCustomValues(List.of(0.1, 0.5, 1.0, 2.5, 5.0, 10.0))
                    .clearPositiveSpans().addPositiveSpans(span(0, 6)).clearPositiveDeltas()
                    .addAllPositiveDeltas(List.of(2L, 1L, 2L, 3L, -1L, -2L));
            count = 30;
        }
        return histogram.setCountInt(badCount ? 99 : count).setTimestamp(1_795_000_000_000L).build();
    }

    private static io.github.promkinesis.protocol.writev2.BucketSpan span(int offset, int length) {
        return io.github.promkinesis.protocol.writev2.BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    private static TimeSeries series(Map<String, String> labels, double value) {
        TimeSeries.Builder series = TimeSeries.newBuilder();
        new TreeMap<>(labels).forEach((name, labelValue) -> series.addLabels(label(name, labelValue)));
        return series.addSamples(io.github.promkinesis.protocol.prompb.Sample.newBuilder().setValue(value)
                .setTimestamp(1_795_000_000_000L)).build();
    }

    private static WriteRequest request(TimeSeries... series) {
        return WriteRequest.newBuilder().addAllTimeseries(List.of(series)).build();
    }

    private static String written(HttpResponse<String> answer, String what) {
        return answer.headers().firstValue("X-Prometheus-Remote-Write-" + what + "-Written").orElse("missing");
    }

    /** The same series as 2.0: every string once in the symbols table (which starts with ""), labels as refs. */
}
