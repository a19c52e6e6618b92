package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Samples in one canonical text form, built independently from what was sent (the protobuf request) and from
 * what arrived (the JSON lines read back from the stream), so the two can be compared sample by sample.
 */
public final class SampleLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private SampleLines() {
    }

    /** Every float sample of the request, sorted. */
    public static List<String> sent(WriteRequest... requests) {
        List<String> samples = new ArrayList<>();
        for (WriteRequest request : requests) {
            for (TimeSeries series : request.getTimeseriesList()) {
                Map<String, String> labels = new LinkedHashMap<>();
                for (Label label : series.getLabelsList()) {
                    labels.put(label.getName(), label.getValue());
                }
                for (Sample sample : series.getSamplesList()) {
                    samples.add(of(labels, sample.getTimestamp(), sample.getValue()));
                }
            }
        }
        samples.sort(null);
        return samples;
    }

    /** Every JSON line in the records, sorted; fails on anything that is not exactly one well-formed line. */
    static List<String> received(List<Record> records) {
        List<String> samples = new ArrayList<>();
        for (Record record : records) {
            String data = record.data().asUtf8String();
            assertTrue(data.endsWith("\n") && data.indexOf('\n') == data.length() - 1,
                    "one newline-terminated line per record: " + data);
            samples.add(parse(data));
        }
        samples.sort(null);
        return samples;
    }

    /**
     * Every JSON line in packed records (gunzipped first if gzip), sorted; fails unless each record holds whole
     * newline-terminated lines, at most maxLines of them.
     */
    static List<String> receivedPacked(List<Record> records, boolean gzip, int maxLines) {
        List<String> samples = new ArrayList<>();
        for (Record record : records) {
            String data = gzip ? gunzip(record.data().asByteArray()) : record.data().asUtf8String();
            assertTrue(data.endsWith("\n"), "a record ends on a line boundary: " + data);
            String[] lines = data.split("\n");
            assertTrue(lines.length <= maxLines, lines.length + " lines in a record");
            for (String line : lines) {
                samples.add(parse(line));
            }
        }
        samples.sort(null);
        return samples;
    }

    static String gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("not gzip", e);
        }
    }

    public static String parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            Set<String> fields = new TreeSet<>();
            node.fieldNames().forEachRemaining(fields::add);
            JsonNode value = node.get("value");
            boolean stale = node.has("stale");
            assertEquals(stale ? Set.of("labels", "name", "stale", "time", "value")
                    : Set.of("labels", "name", "time", "value"), fields, line);
            assertTrue(node.get("time").isIntegralNumber(), line);
            String valueText;
            if (value.isNumber()) {
                valueText = value(value.doubleValue());
            } else {
                valueText = value.textValue() + (stale && node.get("stale").booleanValue() ? "(stale)" : "");
            }
            StringBuilder labels = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.get("labels").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                labels.append(label.getKey()).append('=').append(label.getValue().textValue()).append('\u0001');
            }
            return canonical(node.get("name").textValue(), node.get("time").longValue(), valueText, labels.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }

    /** One sample, its labels in the order they were sent. */
    static String of(Map<String, String> labels, long time, double value) {
        StringBuilder text = new StringBuilder();
        labels.forEach((name, labelValue) -> text.append(name).append('=').append(labelValue).append('\u0001'));
        return canonical(labels.getOrDefault("__name__", ""), time, value(value), text.toString());
    }

    private static String value(double value) {
        if (Double.isNaN(value)) {
            return Double.doubleToRawLongBits(value) == STALE_NAN_BITS ? "NaN(stale)" : "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value + "/" + Long.toHexString(Double.doubleToRawLongBits(value));
    }

    private static String canonical(String name, long time, String value, String labels) {
        return name + " @" + time + " = " + value + " {" + labels + "}";
    }
}
