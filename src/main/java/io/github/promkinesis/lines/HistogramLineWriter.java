package io.github.promkinesis.lines;

import static io.github.promkinesis.lines.JsonValues.ascii;
import static io.github.promkinesis.lines.JsonValues.writeDouble;

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
 * Histograms no reader could make sense of are refused before anything of them is written, as Prometheus itself
 * refuses them: a schema outside -4..8 and -53, spans that do not match the bucket counts, custom buckets beyond
 * the custom values, negative bucket counts, and buckets that do not add up to the count (fewer are allowed only
 * when the sum is NaN, for NaN observations land in no bucket).
 */
final class HistogramLineWriter {

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

    private HistogramLineWriter() {
    }

    static void write(ByteSink out, Histogram histogram, long created, TimeSeries series) {
        int schema = histogram.getSchema();
        if (schema != CUSTOM_BUCKETS_SCHEMA && (schema < -4 || schema > 8)) {
            throw new InvalidSeriesException("histogram schema " + schema + " is neither -4..8 nor -53", series);
        }
        boolean integer = histogram.getCountCase() != Histogram.CountCase.COUNT_FLOAT;
        Buckets negative = Buckets.of(histogram, true, integer, series);
        Buckets positive = Buckets.of(histogram, false, integer, series);
        checkCount(histogram, integer, negative.total() + positive.total(), series);
        startHistogram(out, histogram, integer, created);
        // ascending by value: the negative side from its largest index down, then the positive side
        for (int k = 0; k < negative.size(); k++) {
            writeBucket(out, histogram, negative, negative.size() - 1 - k, k == 0);
        }
        for (int k = 0; k < positive.size(); k++) {
            writeBucket(out, histogram, positive, k, k == 0 && negative.size() == 0);
        }
        out.write(']');
        out.write('}');
    }

    /** The histogram's object up to the opening bracket of its buckets: every field from its count to created. */
    static void startHistogram(ByteSink out, Histogram histogram, boolean integer, long created) {
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
    }

    private static void writeBucket(ByteSink out, Histogram histogram, Buckets side, int b, boolean first) {
        int index = side.indexes[b];
        startBucket(out, first, index, side.negative ? -upper(histogram, index) : lower(histogram, index),
                side.negative ? -lower(histogram, index) : upper(histogram, index));
        if (side.integerCounts != null) {
            out.writeLong(side.integerCounts[b]);
        } else {
            writeDouble(out, side.counts[b]);
        }
        out.write('}');
    }

    /** A bucket's object up to its count: index and bounds. */
    static void startBucket(ByteSink out, boolean first, int index, double lower, double upper) {
        if (!first) {
            out.write(',');
        }
        out.write(INDEX);
        out.writeLong(index);
        out.write(LOWER);
        writeDouble(out, lower);
        out.write(UPPER);
        writeDouble(out, upper);
        out.write(BUCKET_COUNT);
    }

    private static void checkCount(Histogram histogram, boolean integer, double inSides, TimeSeries series) {
        double inBuckets = inSides + (integer ? histogram.getZeroCountInt() : histogram.getZeroCountFloat());
        double count = integer ? histogram.getCountInt() : histogram.getCountFloat();
        boolean nanSum = Double.isNaN(histogram.getSum());
        if (nanSum ? inBuckets > count : integer ? inBuckets != count : inBuckets > count * (1 + 1e-9)) {
            String stated = integer ? Long.toString(histogram.getCountInt()) : Double.toString(count);
            throw new InvalidSeriesException("histogram count " + stated + " does not match the " + inBuckets
                    + " observations in its buckets", series);
        }
    }

    /** One side's buckets as its spans place them, with absolute counts (integer deltas summed up). */
    private static final class Buckets {
        private final boolean negative;
        private final int[] indexes;
        private final long[] integerCounts;
        private final double[] counts;

        private Buckets(boolean negative, int[] indexes, long[] integerCounts, double[] counts) {
            this.negative = negative;
            this.indexes = indexes;
            this.integerCounts = integerCounts;
            this.counts = counts;
        }

        static Buckets of(Histogram histogram, boolean negative, boolean integer, TimeSeries series) {
            List<BucketSpan> spans = negative ? histogram.getNegativeSpansList() : histogram.getPositiveSpansList();
            int given = integer ? (negative ? histogram.getNegativeDeltasCount() : histogram.getPositiveDeltasCount())
                    : (negative ? histogram.getNegativeCountsCount() : histogram.getPositiveCountsCount());
            long named = 0;
            for (BucketSpan span : spans) {
                named += Integer.toUnsignedLong(span.getLength());
            }
            if (named != given) {
                throw new InvalidSeriesException("histogram spans name " + named + " buckets but " + given
                        + " counts are given", series);
            }
            boolean custom = histogram.getSchema() == CUSTOM_BUCKETS_SCHEMA;
            int[] indexes = new int[given];
            long[] integerCounts = integer ? new long[given] : null;
            double[] counts = integer ? null : new double[given];
            int b = 0;
            long index = 0;
            long running = 0;
            for (BucketSpan span : spans) {
                index += span.getOffset(); // the first span's start, then the gap after the previous span
                long last = index + span.getLength() - 1;
                boolean outside = negative && span.getLength() > 0 || index < 0
                        || last > histogram.getCustomValuesCount();
                if (custom && outside) {
                    throw new InvalidSeriesException("custom buckets outside the custom values", series);
                }
                for (int i = 0; i < span.getLength(); i++, b++) {
                    indexes[b] = (int) index++;
                    double count;
                    if (integer) {
                        running += negative ? histogram.getNegativeDeltas(b) : histogram.getPositiveDeltas(b);
                        integerCounts[b] = running;
                        count = running;
                    } else {
                        counts[b] = negative ? histogram.getNegativeCounts(b) : histogram.getPositiveCounts(b);
                        count = counts[b];
                    }
                    if (count < 0 || Double.isNaN(count)) {
                        throw new InvalidSeriesException("a histogram bucket has a negative count", series);
                    }
                }
            }
            return new Buckets(negative, indexes, integerCounts, counts);
        }

        int size() {
            return indexes.length;
        }

        double total() {
            double total = 0;
            for (int b = 0; b < size(); b++) {
                total += integerCounts != null ? integerCounts[b] : counts[b];
            }
            return total;
        }
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
