package io.github.promkinesis.lines;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Histogram;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads back the {@code histogram} object {@link HistogramLineWriter} writes: an integer histogram (counts written
 * as whole numbers) gets its deltas back, a float one its counts; each side's spans are made again from the
 * bucket indexes (a new span where an index is skipped); custom buckets (schema -53) get their bounds back from
 * the buckets' lower and upper bounds, which the line holds for every bucket written.
 */
final class HistogramLineReader {

    private HistogramLineReader() {
    }

    /** The histogram; the caller sets its timestamp and, for a stale line, the staleness marker as sum. */
    static Histogram read(JsonParser parser, JsonToken start) throws IOException {
        if (start != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("histogram is no object");
        }
        Histogram.Builder histogram = Histogram.newBuilder();
        Boolean integer = null;
        List<double[]> buckets = new ArrayList<>(); // index, lower, upper, count
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "count" -> {
                    integer = token == JsonToken.VALUE_NUMBER_INT;
                    if (integer) {
                        histogram.setCountInt(parser.getLongValue());
                    } else {
                        histogram.setCountFloat(number(parser, token, field));
                    }
                }
                case "sum" -> histogram.setSum(number(parser, token, field));
                case "schema" -> histogram.setSchema(parser.getIntValue());
                case "zero_threshold" -> histogram.setZeroThreshold(number(parser, token, field));
                case "zero_count" -> {
                    if (token == JsonToken.VALUE_NUMBER_INT) {
                        histogram.setZeroCountInt(parser.getLongValue());
                    } else {
                        histogram.setZeroCountFloat(number(parser, token, field));
                    }
                }
                case "reset_hint" -> histogram.setResetHint(
                        Histogram.ResetHint.valueOf(parser.getText().toUpperCase(Locale.ROOT)));
                case "created" -> parser.getLongValue(); // the series' created timestamp: remote write 1.0 has none
                case "buckets" -> buckets = buckets(parser, token);
                default -> throw new IllegalArgumentException("unknown field \"histogram." + field + "\"");
            }
        }
        if (integer == null) {
            throw new IllegalArgumentException("histogram without count");
        }
        boolean custom = histogram.getSchema() == HistogramLineWriter.CUSTOM_BUCKETS_SCHEMA;
        List<double[]> negative = new ArrayList<>();
        List<double[]> positive = new ArrayList<>();
        for (double[] bucket : buckets) {
            (!custom && bucket[1] < 0 ? negative : positive).add(bucket);
        }
        negative.sort((x, y) -> Double.compare(x[0], y[0])); // written from the largest index down
        side(negative, integer, histogram, true);
        side(positive, integer, histogram, false);
        if (custom) {
            histogram.addAllCustomValues(customValues(positive));
        }
        return histogram.build();
    }

    private static void side(List<double[]> buckets, boolean integer, Histogram.Builder histogram, boolean negative) {
        long previousIndex = Long.MIN_VALUE;
        long previousCount = 0;
        BucketSpan.Builder span = null;
        for (double[] bucket : buckets) {
            long index = (long) bucket[0];
            if (span == null || index != previousIndex + 1) {
                if (span != null) {
                    add(histogram, span.build(), negative);
                }
                span = BucketSpan.newBuilder().setOffset((int) (span == null ? index : index - previousIndex - 1));
            }
            span.setLength(span.getLength() + 1);
            if (integer) {
                long count = (long) bucket[3];
                if (negative) {
                    histogram.addNegativeDeltas(count - previousCount);
                } else {
                    histogram.addPositiveDeltas(count - previousCount);
                }
                previousCount = count;
            } else if (negative) {
                histogram.addNegativeCounts(bucket[3]);
            } else {
                histogram.addPositiveCounts(bucket[3]);
            }
            previousIndex = index;
        }
        if (span != null) {
            add(histogram, span.build(), negative);
        }
    }

    private static void add(Histogram.Builder histogram, BucketSpan span, boolean negative) {
        if (negative) {
            histogram.addNegativeSpans(span);
        } else {
            histogram.addPositiveSpans(span);
        }
    }

    /** Bucket i spans (custom[i-1], custom[i]]: every bound up to the highest finite one, from the buckets written. */
    private static List<Double> customValues(List<double[]> buckets) {
        int size = 0;
        for (double[] bucket : buckets) {
            int index = (int) bucket[0];
            size = Math.max(size, Double.isInfinite(bucket[2]) ? index : index + 1);
        }
        Double[] values = new Double[size];
        for (double[] bucket : buckets) {
            int index = (int) bucket[0];
            if (index < size && !Double.isInfinite(bucket[2])) {
                values[index] = bucket[2];
            }
            if (index > 0 && index - 1 < size) {
                values[index - 1] = bucket[1];
            }
        }
        List<Double> known = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (values[i] == null) {
                throw new IllegalArgumentException("custom bucket bound " + i + " is in no bucket of the line");
            }
            known.add(values[i]);
        }
        return known;
    }

    private static List<double[]> buckets(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("histogram.buckets is no array");
        }
        List<double[]> buckets = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            double[] bucket = new double[4];
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "index" -> bucket[0] = parser.getLongValue();
                    case "lower" -> bucket[1] = number(parser, value, field);
                    case "upper" -> bucket[2] = number(parser, value, field);
                    case "count" -> bucket[3] = number(parser, value, field);
                    default -> throw new IllegalArgumentException("unknown field \"bucket." + field + "\"");
                }
            }
            buckets.add(bucket);
        }
        return buckets;
    }

    private static double number(JsonParser parser, JsonToken token, String field) throws IOException {
        return JsonLineReader.number(parser, token, "histogram." + field);
    }
}
