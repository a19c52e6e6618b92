package io.github.promkinesis.lines;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads back what {@link JsonLineWriter} writes, one line at a time: the reader side of the format,
 * beside its writer. Float sample lines in the writer's own shape take {@link SampleLineScanner}'s fast path;
 * every other line is parsed as JSON. Values come back bit for bit: finite numbers as written, "NaN", "+Inf", "-Inf", and a
 * line with "stale":true as Prometheus' staleness marker. A line that is not JSON or not of a known shape is
 * an {@link IllegalArgumentException} naming what is wrong.
 */
public final class JsonLineReader {

    private static final Comparator<Label> BY_NAME = Comparator.comparing(Label::getName);

    private final JsonFactory json = new JsonFactory();
    private final SampleLineScanner samples = new SampleLineScanner();
    private final SeriesProtobuf series = new SeriesProtobuf();

    /** Not thread-safe: one reader per reading thread. */
    public ArchivedLine read(byte[] bytes, int offset, int length) {
        ArchivedLine sample = samples.scan(bytes, offset, length);
        return sample != null ? sample : parse(bytes, offset, length);
    }

    /**
     * Whether the line is a float sample in the writer's own shape, read for its time and series alone, building
     * nothing: then {@link #keyTime()} and {@link #keySeriesHash()} (read(...).series().hashCode()) say them
     * until the next line, and read(...) would read it without fail. False for any other line: read(...) reads
     * it, or says what is wrong.
     */
    public boolean key(byte[] bytes, int offset, int length) {
        return samples.key(bytes, offset, length);
    }

    /**
     * After {@link #key} said true: the line as the protobuf {@code prometheus.TimeSeries} a remote-write request
     * carries it in (its labels, its one sample), made from the walk key(...) did, in a buffer the next call
     * reuses: its first {@link #keySeriesLength()} bytes.
     */
    public byte[] keySeries() {
        series.clear();
        series.series(samples);
        return series.out;
    }

    public int keySeriesLength() {
        return series.size;
    }

    /** After {@link #key} said true: where the metric name is in the line, printable ASCII without escapes. */
    public int keyNameStart() {
        return samples.nameStart();
    }

    public int keyNameEnd() {
        return samples.nameEnd();
    }

    public long keyTime() {
        return samples.time();
    }

    public int keySeriesHash() {
        return samples.hash();
    }

    /** Any line, as JSON. */
    ArchivedLine parse(byte[] bytes, int offset, int length) {
        try (JsonParser parser = json.createParser(bytes, offset, length)) {
            return read(parser);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    private ArchivedLine read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String name = null;
        Long time = null;
        Double value = null;
        boolean stale = false;
        ArchivedLine.Kind kind = null;
        List<Label> labels = List.of();
        List<Label> exemplarLabels = List.of();
        MetricMetadata metadata = null;
        Histogram histogram = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser, token, field);
                case "time" -> time = whole(parser, token, field);
                case "value" -> {
                    kind = ArchivedLine.Kind.SAMPLE;
                    value = number(parser, token, "value");
                }
                case "stale" -> stale = token == JsonToken.VALUE_TRUE;
                case "labels" -> {
                    labels = labels(parser, token);
                    labels.sort(BY_NAME);
                }
                case "histogram" -> {
                    kind = ArchivedLine.Kind.HISTOGRAM;
                    histogram = HistogramLineReader.read(parser, token);
                }
                case "exemplar" -> {
                    kind = ArchivedLine.Kind.EXEMPLAR;
                    expect(token, JsonToken.START_OBJECT, field);
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String part = parser.currentName();
                        JsonToken partToken = parser.nextToken();
                        switch (part) {
                            case "value" -> value = number(parser, partToken, "exemplar.value");
                            case "labels" -> exemplarLabels = labels(parser, partToken);
                            default -> throw new IllegalArgumentException("unknown field \"exemplar." + part + "\"");
                        }
                    }
                }
                case "metadata" -> {
                    kind = ArchivedLine.Kind.METADATA;
                    metadata = metadata(parser, token);
                }
                case "created" -> whole(parser, token, field);
                default -> throw new IllegalArgumentException("unknown field \"" + field + "\"");
            }
        }
        if (name == null || time == null || kind == null || kind == ArchivedLine.Kind.EXEMPLAR && value == null) {
            throw new IllegalArgumentException("not a line of the archive: name, time and a value, histogram,"
                    + " exemplar or metadata are needed");
        }
        if (kind == ArchivedLine.Kind.SAMPLE && stale) {
            value = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
        }
        if (metadata != null) {
            metadata = metadata.toBuilder().setMetricFamilyName(name).build();
        }
        if (histogram != null) {
            Histogram.Builder timed = histogram.toBuilder().setTimestamp(time);
            if (stale) {
                timed.setSum(Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS));
            }
            histogram = timed.build();
        }
        return new ArchivedLine(kind, name, time, value == null ? Double.NaN : value, labels, SeriesKey.of(labels),
                exemplarLabels, metadata, histogram);
    }

    static double number(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return Double.parseDouble(parser.getText()); // the shortest text of the double: parses to the same bits
        }
        if (token == JsonToken.VALUE_STRING) {
            Double named = JsonValues.named(parser.getText());
            if (named == null) {
                throw new IllegalArgumentException(field + " \"" + parser.getText() + "\" is no number");
            }
            return named;
        }
        throw new IllegalArgumentException(field + " is no number");
    }

    private static String text(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(field + " is no string");
        }
        return parser.getText();
    }

    private static long whole(JsonParser parser, JsonToken token, String field) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException(field + " is no whole number");
        }
        return parser.getLongValue();
    }

    private static MetricMetadata metadata(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_OBJECT, "metadata");
        MetricMetadata.Builder metadata = MetricMetadata.newBuilder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String part = parser.currentName();
            String text = text(parser, parser.nextToken(), "metadata." + part);
            switch (part) {
                case "type" -> {
                    try {
                        metadata.setType(MetricMetadata.MetricType.valueOf(text.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown metadata type \"" + text + "\"");
                    }
                }
                case "help" -> metadata.setHelp(text);
                case "unit" -> metadata.setUnit(text);
                default -> throw new IllegalArgumentException("unknown field \"metadata." + part + "\"");
            }
        }
        return metadata.build();
    }

    private static void expect(JsonToken token, JsonToken expected, String field) {
        if (token != expected) {
            throw new IllegalArgumentException(field + " is no object");
        }
    }

    /** Labels in the order written. */
    private static List<Label> labels(JsonParser parser, JsonToken token) throws IOException {
        expect(token, JsonToken.START_OBJECT, "labels");
        List<Label> labels = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String labelName = parser.currentName();
            labels.add(Label.newBuilder().setName(labelName).setValue(text(parser, parser.nextToken(), labelName))
                    .build());
        }
        return labels;
    }
}
