package io.github.promkinesis.encoding;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.promkinesis.protocol.prompb.Label;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads back what {@link WriteRequestToJsonLines} writes, one line at a time: the reader side of the format,
 * beside its writer. Values come back bit for bit: finite numbers as written, "NaN", "+Inf", "-Inf", and a
 * line with "stale":true as Prometheus' staleness marker. A line that is not JSON or not of a known shape is
 * an {@link IllegalArgumentException} naming what is wrong.
 */
public final class JsonLineReader {

    private static final Comparator<Label> BY_NAME = Comparator.comparing(Label::getName);

    private final JsonFactory json = new JsonFactory();

    public ArchivedLine read(byte[] bytes, int offset, int length) {
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
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser, token, field);
                case "time" -> time = whole(parser, token, field);
                case "value" -> {
                    kind = ArchivedLine.Kind.SAMPLE;
                    value = number(parser, token);
                }
                case "stale" -> stale = token == JsonToken.VALUE_TRUE;
                case "labels" -> labels = labels(parser, token);
                case "histogram", "exemplar", "metadata" -> {
                    kind = ArchivedLine.Kind.valueOf(field.toUpperCase(java.util.Locale.ROOT));
                    parser.skipChildren();
                }
                case "created" -> whole(parser, token, field);
                default -> throw new IllegalArgumentException("unknown field \"" + field + "\"");
            }
        }
        if (name == null || time == null || kind == null) {
            throw new IllegalArgumentException("not a line of the archive: name, time and a value, histogram,"
                    + " exemplar or metadata are needed");
        }
        if (kind == ArchivedLine.Kind.SAMPLE && stale) {
            value = Double.longBitsToDouble(WriteRequestToJsonLines.STALE_NAN_BITS);
        }
        return new ArchivedLine(kind, name, time, kind == ArchivedLine.Kind.SAMPLE ? value : Double.NaN, labels);
    }

    private static double number(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return Double.parseDouble(parser.getText()); // the shortest text of the double: parses to the same bits
        }
        if (token == JsonToken.VALUE_STRING) {
            return switch (parser.getText()) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException("value \"" + parser.getText() + "\" is no number");
            };
        }
        throw new IllegalArgumentException("value is no number");
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

    private static List<Label> labels(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("labels is no object");
        }
        List<Label> labels = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String labelName = parser.currentName();
            labels.add(Label.newBuilder().setName(labelName).setValue(text(parser, parser.nextToken(), labelName))
                    .build());
        }
        labels.sort(BY_NAME);
        return labels;
    }
}
