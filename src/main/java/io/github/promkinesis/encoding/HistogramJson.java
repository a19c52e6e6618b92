package io.github.promkinesis.encoding;

import static io.github.promkinesis.encoding.JsonValues.ascii;
import static io.github.promkinesis.encoding.JsonValues.writeDouble;

import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.util.List;

/**
 * A native histogram as a JSON object a reader can use without Prometheus' code: count, sum, schema, the zero
 * bucket, the reset hint, and every populated bucket with its index, its bounds and its absolute count (the
 * proto's deltas summed up). Exponential schemas (-4..8) bound bucket i by 2^((i-1)·2^-schema) and
 * 2^(i·2^-schema), positive buckets (lower, upper], negative ones [lower, upper); custom buckets (schema -53)
 * by the custom values, the last bucket's upper bound +Inf. A bucket's index is the proto's, within its side.
 */
final class HistogramJson {

    static final int CUSTOM_BUCKETS_SCHEMA = -53;

    private static final byte[] COUNT = ascii("{\"count\":");
    private static final byte[] SUM = ascii(",\"sum\":");
    private static final byte[] SCHEMA = ascii(",\"schema\":");
    private static final byte[] ZERO_THRESHOLD = ascii(",\"zero_threshold\":");
    private static final byte[] ZERO_COUNT = ascii(",\"zero_count\":");
    private static final byte[] RESET_HINT = ascii(",\"reset_hint\":\"");
    private static final byte[] CREATED = ascii(",\"created\":");
    private static final byte[] BUCKETS = ascii(",\"buckets\":[");
    private static final byte[] INDEX = ascii("{\"index\":");
    private static final byte[] LOWER = ascii(",\"lower\":");
    private static final byte[] UPPER = ascii(",\"upper\":");
    private static final byte[] BUCKET_COUNT = ascii(",\"count\":");
    private static final String[] RESET_HINTS = {"unknown", "yes", "no", "gauge"};

    private HistogramJson() {
    }

    /**
     * Refuses what no reader could make sense of, as Prometheus itself does: a schema outside -4..8 and -53,
     * spans that do not match the bucket counts, custom buckets beyond the custom values, negative bucket
     * counts, and buckets that do not add up to the count (fewer are allowed only when the sum is NaN, for NaN
     * observations land in no bucket).
     */
    static void check(Histogram histogram, TimeSeries series) {
        int schema = histogram.getSchema();
        if (schema != CUSTOM_BUCKETS_SCHEMA && (schema < -4 || schema > 8)) {
            throw new InvalidSeriesException("histogram schema " + schema + " is neither -4..8 nor -53", series);
        }
        boolean integer = histogram.getCountCase() != Histogram.CountCase.COUNT_FLOAT;
        double inBuckets = integer ? histogram.getZeroCountInt() : histogram.getZeroCountFloat();
        for (boolean negative : new boolean[] {true, false}) {
            List<BucketSpan> spans = negative ? histogram.getNegativeSpansList() : histogram.getPositiveSpansList();
            long buckets = 0;
            long index = 0;
            for (int s = 0; s < spans.size(); s++) {
                index += spans.get(s).getOffset();
                if (schema == CUSTOM_BUCKETS_SCHEMA && (negative && spans.get(s).getLength() > 0
                        || index < 0 || index + spans.get(s).getLength() - 1 > histogram.getCustomValuesCount())) {
                    throw new InvalidSeriesException("custom buckets outside the custom values", series);
                }
                buckets += Integer.toUnsignedLong(spans.get(s).getLength());
                index += Integer.toUnsignedLong(spans.get(s).getLength());
            }
            int counts = integer ? (negative ? histogram.getNegativeDeltasCount() : histogram.getPositiveDeltasCount())
                    : (negative ? histogram.getNegativeCountsCount() : histogram.getPositiveCountsCount());
            if (buckets != counts) {
                throw new InvalidSeriesException("histogram spans name " + buckets + " buckets but " + counts
                        + " counts are given", series);
            }
            long running = 0;
            for (int b = 0; b < counts; b++) {
                double count;
                if (integer) {
                    running += negative ? histogram.getNegativeDeltas(b) : histogram.getPositiveDeltas(b);
                    count = running;
                } else {
                    count = negative ? histogram.getNegativeCounts(b) : histogram.getPositiveCounts(b);
                }
                if (count < 0 || Double.isNaN(count)) {
                    throw new InvalidSeriesException("a histogram bucket has a negative count", series);
                }
                inBuckets += count;
            }
        }
        double count = integer ? histogram.getCountInt() : histogram.getCountFloat();
        boolean nanSum = Double.isNaN(histogram.getSum());
        if (nanSum ? inBuckets > count : integer ? inBuckets != count : inBuckets > count * (1 + 1e-9)) {
            throw new InvalidSeriesException("histogram count " + (integer ? Long.toString(histogram.getCountInt())
                    : Double.toString(count)) + " does not match the " + inBuckets + " observations in its buckets", series);
        }
    }

    static void write(ByteSink out, Histogram histogram, long created) {
        boolean integer = histogram.getCountCase() != Histogram.CountCase.COUNT_FLOAT;
        out.write(COUNT);
        if (integer) {
            out.writeLong(histogram.getCountInt());
        } else {
            writeDouble(out, histogram.getCountFloat());
        }
        out.write(SUM);
        writeDouble(out, histogram.getSum());
        out.write(SCHEMA);
        out.writeLong(histogram.getSchema());
        out.write(ZERO_THRESHOLD);
        writeDouble(out, histogram.getZeroThreshold());
        out.write(ZERO_COUNT);
        if (integer) {
            out.writeLong(histogram.getZeroCountInt());
        } else {
            writeDouble(out, histogram.getZeroCountFloat());
        }
        out.write(RESET_HINT);
        int hint = histogram.getResetHintValue();
        out.writeLatin1(hint >= 0 && hint < RESET_HINTS.length ? RESET_HINTS[hint] : "unknown");
        out.write('"');
        if (created != 0) {
            out.write(CREATED);
            out.writeLong(created);
        }
        out.write(BUCKETS);
        boolean first = writeBuckets(out, histogram, true, integer, true);
        writeBuckets(out, histogram, false, integer, first);
        out.write(']');
        out.write('}');
    }

    /** Negative buckets from the most negative up, then positive ones; returns whether none was written yet. */
    private static boolean writeBuckets(ByteSink out, Histogram histogram, boolean negative, boolean integer,
                                        boolean first) {
        List<BucketSpan> spans = negative ? histogram.getNegativeSpansList() : histogram.getPositiveSpansList();
        int total = 0;
        for (BucketSpan span : spans) {
            total += span.getLength();
        }
        int[] indexes = new int[total];
        double[] counts = new double[total];
        long[] integerCounts = new long[total];
        int b = 0;
        int index = 0;
        long running = 0;
        for (int s = 0; s < spans.size(); s++) {
            index += spans.get(s).getOffset(); // the first span's start, then the gap after the previous span
            for (int i = 0; i < spans.get(s).getLength(); i++, b++) {
                indexes[b] = index++;
                if (integer) {
                    running += negative ? histogram.getNegativeDeltas(b) : histogram.getPositiveDeltas(b);
                    integerCounts[b] = running;
                } else {
                    counts[b] = negative ? histogram.getNegativeCounts(b) : histogram.getPositiveCounts(b);
                }
            }
        }
        for (int k = 0; k < total; k++) {
            int b2 = negative ? total - 1 - k : k; // ascending by value: negative buckets in reverse
            if (!first) {
                out.write(',');
            }
            first = false;
            out.write(INDEX);
            out.writeLong(indexes[b2]);
            out.write(LOWER);
            writeDouble(out, negative ? -upper(histogram, indexes[b2]) : lower(histogram, indexes[b2]));
            out.write(UPPER);
            writeDouble(out, negative ? -lower(histogram, indexes[b2]) : upper(histogram, indexes[b2]));
            out.write(BUCKET_COUNT);
            if (integer) {
                out.writeLong(integerCounts[b2]);
            } else {
                writeDouble(out, counts[b2]);
            }
            out.write('}');
        }
        return first;
    }

    private static double upper(Histogram histogram, int index) {
        if (histogram.getSchema() == CUSTOM_BUCKETS_SCHEMA) {
            List<Double> bounds = histogram.getCustomValuesList();
            return index < bounds.size() ? bounds.get(index) : Double.POSITIVE_INFINITY;
        }
        return Math.pow(2, index * Math.pow(2, -histogram.getSchema()));
    }

    private static double lower(Histogram histogram, int index) {
        if (histogram.getSchema() == CUSTOM_BUCKETS_SCHEMA) {
            return index == 0 ? Double.NEGATIVE_INFINITY : histogram.getCustomValues(index - 1);
        }
        return Math.pow(2, (index - 1) * Math.pow(2, -histogram.getSchema()));
    }
}
