package io.github.promkinesis.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLineWriter encoder = ShippedDefaults.encoder();

    @Test
    void writesTheOriginalAdaptersShapeExactly() {
        WriteRequest request = request(series(List.of(label("__name__", "scrape_duration_seconds"),
                label("instance", "localhost:9090"), label("job", "prometheus")), sample(0.004345524, 1513264725773L)));

        List<byte[]> lines = encode(request);

        assertEquals(1, lines.size());
        assertEquals("{\"name\":\"scrape_duration_seconds\",\"time\":1513264725773,\"value\":0.004345524,"
                + "\"labels\":{\"__name__\":\"scrape_duration_seconds\",\"instance\":\"localhost:9090\","
                + "\"job\":\"prometheus\"}}\n", new String(lines.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void everyFiniteValueParsesBackToTheIdenticalDouble() throws Exception {
        double[] values = {0.0, -0.0, 1.0, -1.0, 0.1, 1e-5, 1.5e300, -2.5e-300, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MAX_VALUE, Double.MIN_NORMAL, 123456789012345678.0, Math.PI, 9007199254740993.0, 1e21, 1e-7};
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(sample(values[i], i));
        }
        List<byte[]> lines = encode(request(series(List.of(label("__name__", "v")), samples)));

        assertEquals(values.length, lines.size());
        for (int i = 0; i < values.length; i++) {
            JsonNode value = JSON.readTree(lines.get(i)).get("value");
            assertTrue(value.isNumber(), "a JSON number for " + values[i]);
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(value.doubleValue()),
                    "round trip of " + values[i]);
        }
    }

    @Test
    void valuesAreWrittenExactlyAsDoubleToStringWritesThem() {
        double[] values = {0.0, -0.0, 1.0, -1.0, 42.0, 9_999_999.0, -9_999_999.0, 10_000_000.0, -10_000_000.0,
            12_345_678.0, 0.5, -2.25, 1e15, 4.9e-324, 123456.0, 1e6};
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            samples.add(sample(values[i], -i));
        }
        List<byte[]> lines = encode(request(series(List.of(label("__name__", "v")), samples)));

        for (int i = 0; i < values.length; i++) {
            assertEquals("{\"name\":\"v\",\"time\":" + (-i) + ",\"value\":" + Double.toString(values[i])
                    + ",\"labels\":{\"__name__\":\"v\"}}\n", new String(lines.get(i), StandardCharsets.UTF_8));
        }
    }

    @Test
    void timestampsAreWrittenAsLongToStringWritesThem() {
        long[] times = {0, 1, -1, 9, 10, 1513264725773L, Long.MAX_VALUE, Long.MIN_VALUE, -1234567890123L};
        List<Sample> samples = new ArrayList<>();
        for (long time : times) {
            samples.add(sample(1.5, time));
        }
        List<byte[]> lines = encode(request(series(List.of(label("__name__", "t")), samples)));

        for (int i = 0; i < times.length; i++) {
            assertTrue(new String(lines.get(i), StandardCharsets.UTF_8).contains("\"time\":" + times[i] + ","));
        }
    }

    @Test
    void nanAndInfinitiesAreStringsAndOnlyTheStalenessMarkerIsStale() throws Exception {
        double stale = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
        double otherNan = Double.longBitsToDouble(0x7ff8000000000001L);
        List<byte[]> lines = encode(request(series(List.of(label("__name__", "m")),
                sample(Double.NaN, 1), sample(stale, 2), sample(otherNan, 3),
                sample(Double.POSITIVE_INFINITY, 4), sample(Double.NEGATIVE_INFINITY, 5))));

        List<JsonNode> nodes = parse(lines);
        assertEquals("NaN", nodes.get(0).get("value").textValue());
        assertFalse(nodes.get(0).has("stale"));
        assertEquals("NaN", nodes.get(1).get("value").textValue());
        assertTrue(nodes.get(1).get("stale").booleanValue());
        assertEquals("NaN", nodes.get(2).get("value").textValue());
        assertFalse(nodes.get(2).has("stale"));
        assertEquals("+Inf", nodes.get(3).get("value").textValue());
        assertEquals("-Inf", nodes.get(4).get("value").textValue());
        assertEquals("{\"name\":\"m\",\"time\":2,\"value\":\"NaN\",\"stale\":true,\"labels\":{\"__name__\":\"m\"}}\n",
                new String(lines.get(1), StandardCharsets.UTF_8));
    }

    @Test
    void labelsKeepTheirOrderAndEveryCharacterSurvivesEscaping() throws Exception {
        String nasty = "quote\" backslash\\ slash/ newline\n tab\t cr\r nul\u0000 bell\u0007 del\u007f "
                + "é ü 中文 emoji😀 line-separator\u2028 bom\ufeff";
        List<Label> labels = List.of(label("zeta", "last-by-name-but-first"), label("__name__", "métrique_😀"),
                label("alpha", nasty), label("ключ", "значение"), label("empty", ""));
        List<byte[]> lines = encode(request(series(labels, sample(1, 1))));

        String line = new String(lines.get(0), StandardCharsets.UTF_8);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        JsonNode node = JSON.readTree(lines.get(0));
        assertEquals("métrique_😀", node.get("name").textValue());
        Iterator<Map.Entry<String, JsonNode>> fields = node.get("labels").fields();
        for (Label label : labels) {
            Map.Entry<String, JsonNode> field = fields.next();
            assertEquals(label.getName(), field.getKey());
            assertEquals(label.getValue(), field.getValue().textValue());
        }
        assertFalse(fields.hasNext());
    }

    @Test
    void aSeriesWithoutMetricNameHasAnEmptyName() throws Exception {
        List<byte[]> lines = encode(request(series(List.of(label("job", "x")), sample(1, 1))));

        assertEquals("", JSON.readTree(lines.get(0)).get("name").textValue());
    }

    @Test
    void anEmptyRequestYieldsNoLines() {
        assertEquals(0, encoder.toJsonLines(WriteRequest.getDefaultInstance()).size());
    }

    @Test
    void anIntegerHistogramIsOneLineWithAbsoluteBucketsAndTheirBounds() {
        Histogram histogram = Histogram.newBuilder().setCountInt(9).setSum(10.5).setSchema(0).setZeroThreshold(0.001)
                .setZeroCountInt(1).addNegativeSpans(span(1, 1)).addNegativeDeltas(1)
                .addPositiveSpans(span(1, 2)).addAllPositiveDeltas(List.of(3L, 1L))
                .setResetHint(Histogram.ResetHint.NO).setTimestamp(5).build();
        TimeSeries series = TimeSeries.newBuilder().addLabels(label("__name__", "h")).addHistograms(histogram).build();

        assertEquals("{\"name\":\"h\",\"time\":5,\"histogram\":{\"count\":9,\"sum\":10.5,\"schema\":0,"
                + "\"zero_threshold\":0.001,\"zero_count\":1,\"reset_hint\":\"no\",\"buckets\":["
                + "{\"index\":1,\"lower\":-2.0,\"upper\":-1.0,\"count\":1},"
                + "{\"index\":1,\"lower\":1.0,\"upper\":2.0,\"count\":3},"
                + "{\"index\":2,\"lower\":2.0,\"upper\":4.0,\"count\":4}]},\"labels\":{\"__name__\":\"h\"}}\n",
                text(encode(request(series)).get(0)));
    }

    @Test
    void aFloatHistogramWithCustomBucketsAndACreatedTimestamp() {
        Histogram histogram = Histogram.newBuilder().setCountFloat(6).setSum(2.5).setSchema(-53)
                .addAllCustomValues(List.of(0.1, 1.0)).addPositiveSpans(span(0, 3))
                .addAllPositiveCounts(List.of(1.0, 2.0, 3.0)).setTimestamp(7).build();
        TimeSeries series = TimeSeries.newBuilder().addLabels(label("__name__", "c")).addHistograms(histogram)
                .setCreatedTimestamp(3).build();

        assertEquals("{\"name\":\"c\",\"time\":7,\"histogram\":{\"count\":6.0,\"sum\":2.5,\"schema\":-53,"
                + "\"zero_threshold\":0.0,\"zero_count\":0.0,\"reset_hint\":\"unknown\",\"created\":3,\"buckets\":["
                + "{\"index\":0,\"lower\":\"-Inf\",\"upper\":0.1,\"count\":1.0},"
                + "{\"index\":1,\"lower\":0.1,\"upper\":1.0,\"count\":2.0},"
                + "{\"index\":2,\"lower\":1.0,\"upper\":\"+Inf\",\"count\":3.0}]},\"labels\":{\"__name__\":\"c\"}}\n",
                text(encode(request(series)).get(0)));
    }

    @Test
    void histogramsNoReaderCouldUseAreRefused() {
        Histogram valid = Histogram.newBuilder().setCountInt(4).setSum(1).setSchema(0).addPositiveSpans(span(0, 2))
                .addAllPositiveDeltas(List.of(1L, 2L)).build();
        List<Histogram> invalid = List.of(
                valid.toBuilder().setCountInt(99).build(),                           // count beyond the buckets
                valid.toBuilder().setCountInt(3).build(),                            // count below the buckets
                valid.toBuilder().addPositiveDeltas(1).build(),                      // a count no span names
                valid.toBuilder().setPositiveDeltas(1, -5).build(),                  // a negative bucket
                valid.toBuilder().setSchema(9).build(),                              // no such schema
                valid.toBuilder().setSchema(-53).addCustomValues(1.0).clearPositiveSpans()
                        .addPositiveSpans(span(1, 2)).build());                      // beyond +Inf of 1 bound
        assertEquals(1, encode(request(TimeSeries.newBuilder().addLabels(label("__name__", "h"))
                .addHistograms(valid).build())).size());
        for (Histogram histogram : invalid) {
            assertThrows(InvalidSeriesException.class, () -> encoder.toJsonLines(request(TimeSeries.newBuilder()
                    .addLabels(label("__name__", "h")).addHistograms(histogram).build())), histogram.toString());
        }
        Histogram nanObservations = valid.toBuilder().setCountInt(5).setSum(Double.NaN).build();
        assertEquals(1, encode(request(TimeSeries.newBuilder().addLabels(label("__name__", "h"))
                .addHistograms(nanObservations).build())).size(), "NaN observations count but land in no bucket");
    }

    @Test
    void aStaleHistogramIsMarkedLikeAStaleSample() throws Exception {
        double stale = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
        TimeSeries series = TimeSeries.newBuilder().addLabels(label("__name__", "h"))
                .addHistograms(Histogram.newBuilder().setSum(stale).setTimestamp(1)).build();

        JsonNode line = JSON.readTree(encode(request(series)).get(0));
        assertEquals("NaN", line.get("histogram").get("sum").textValue());
        assertTrue(line.get("stale").booleanValue());
    }

    @Test
    void exemplarsAreLinesOfTheirOwnAndFloatLinesStayAsTheyWere() {
        TimeSeries series = TimeSeries.newBuilder().addLabels(label("__name__", "m")).addSamples(sample(1, 1))
                .addExemplars(Exemplar.newBuilder().addLabels(label("trace_id", "abc")).setValue(0.25).setTimestamp(9))
                .build();

        List<byte[]> lines = encode(request(series));

        assertEquals("{\"name\":\"m\",\"time\":1,\"value\":1.0,\"labels\":{\"__name__\":\"m\"}}\n", text(lines.get(0)));
        assertEquals("{\"name\":\"m\",\"time\":9,\"exemplar\":{\"value\":0.25,\"labels\":{\"trace_id\":\"abc\"}},"
                + "\"labels\":{\"__name__\":\"m\"}}\n", text(lines.get(1)));
    }

    @Test
    void aCreatedTimestampFollowsTheValue() {
        TimeSeries series = TimeSeries.newBuilder().addLabels(label("__name__", "m")).addSamples(sample(2, 5))
                .setCreatedTimestamp(3).build();

        assertEquals("{\"name\":\"m\",\"time\":5,\"value\":2.0,\"created\":3,\"labels\":{\"__name__\":\"m\"}}\n",
                text(encode(request(series)).get(0)));
    }

    @Test
    void metadataBecomesLinesOnlyWhenEnabled() throws Exception {
        WriteRequest request = WriteRequest.newBuilder().addMetadata(MetricMetadata.newBuilder()
                .setType(MetricMetadata.MetricType.GAUGE).setMetricFamilyName("up").setHelp("Up \"or not\".")).build();

        assertEquals(0, encoder.toJsonLines(request).size());
        encoder.setMetadataLines(true);
        long before = System.currentTimeMillis();
        JsonNode line = JSON.readTree(encode(request).get(0));

        assertEquals("up", line.get("name").textValue());
        assertTrue(line.get("time").longValue() >= before);
        assertEquals("gauge", line.get("metadata").get("type").textValue());
        assertEquals("Up \"or not\".", line.get("metadata").get("help").textValue());
        assertEquals("", line.get("metadata").get("unit").textValue());
        assertFalse(line.has("labels"));
    }

    @Test
    void everySampleOfEverySeriesBecomesOneLineInOrder() throws Exception {
        TimeSeries a = series(List.of(label("__name__", "a")), sample(1, 10), sample(2, 20));
        TimeSeries b = series(List.of(label("__name__", "b")), sample(3, 30));

        List<JsonNode> nodes = parse(encode(request(a, b)));

        assertEquals(List.of("a/10/1.0", "a/20/2.0", "b/30/3.0"), nodes.stream()
                .map(n -> n.get("name").textValue() + "/" + n.get("time").longValue() + "/" + n.get("value").doubleValue())
                .toList());
    }

    @Test
    void emptyAndDuplicateLabelNamesAreRefused() {
        assertThrows(InvalidSeriesException.class, () -> encoder.toJsonLines(
                request(series(List.of(label("", "x"), label("job", "j")), sample(1, 1)))));
        assertThrows(InvalidSeriesException.class, () -> encoder.toJsonLines(
                request(series(List.of(label("a", "1"), label("a", "2")), sample(1, 1)))));
        assertThrows(InvalidSeriesException.class, () -> encoder.toJsonLines(
                request(series(List.of(label("b", "1"), label("a", "2"), label("b", "3")), sample(1, 1)))));
    }

    @Test
    void moreSamplesThanTheLimitAreRefusedBeforeEncoding() {
        encoder.setMaxSamples(3);
        TimeSeries twoSamples = series(List.of(label("__name__", "m")), sample(1, 1), sample(2, 2));

        assertEquals(3, encoder.toJsonLines(request(twoSamples, series(List.of(label("__name__", "n")),
                sample(1, 1)))).size());
        assertThrows(TooManySamplesException.class, () -> encoder.toJsonLines(request(twoSamples, twoSamples)));
    }

    private static BucketSpan span(int offset, int length) {
        return BucketSpan.newBuilder().setOffset(offset).setLength(length).build();
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** Each line on its own, cut from the shared buffer where JsonLines says it ends. */
    private List<byte[]> encode(WriteRequest request) {
        JsonLines lines = encoder.toJsonLines(request);
        List<byte[]> each = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ByteBuffer line = lines.slice(i, i + 1);
            byte[] bytes = new byte[line.remaining()];
            line.get(bytes);
            each.add(bytes);
        }
        return each;
    }

    private static List<JsonNode> parse(List<byte[]> lines) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (byte[] line : lines) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    static WriteRequest request(TimeSeries... series) {
        return WriteRequest.newBuilder().addAllTimeseries(List.of(series)).build();
    }

    static TimeSeries series(List<Label> labels, Sample... samples) {
        return series(labels, List.of(samples));
    }

    static TimeSeries series(List<Label> labels, List<Sample> samples) {
        return TimeSeries.newBuilder().addAllLabels(labels).addAllSamples(samples).build();
    }

    static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    static Sample sample(double value, long timestamp) {
        return Sample.newBuilder().setValue(value).setTimestamp(timestamp).build();
    }
}
