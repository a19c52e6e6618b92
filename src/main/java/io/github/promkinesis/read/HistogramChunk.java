package io.github.promkinesis.read;

import com.google.protobuf.ByteString;
import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.Histogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Prometheus' native histogram chunks, in {@link ChunkBits}' stream: encoding HISTOGRAM for integer histograms
 * (tsdb/chunkenc/histogram.go), FLOAT_HISTOGRAM for float ones (float_histogram.go), each opening with the sample
 * count, the counter reset header and the layout its histograms share (histogram_meta.go: zero threshold, schema,
 * bucket spans, and for custom buckets their bounds). A series' histograms are cut into chunks where Prometheus
 * 2.42's head cuts them, but after {@link #MAX_SAMPLES} rather than at the time it predicts, with the header it
 * writes; HistogramChunkIT compares the bytes with the chunks Prometheus 2.42 answers remote read with.
 */
public final class HistogramChunk {

    /** Samples per chunk, as for float samples. */
    public static final int MAX_SAMPLES = XorChunk.MAX_SAMPLES;
    /**
     * The most a chunk may take at worst (10 bytes a number), so that it fits a frame with its series' labels; cut
     * sooner than {@link #MAX_SAMPLES} from about 430 buckets on. A histogram is in a chunk, whatever its size.
     */
    static final int MAX_BYTES = 512 * 1024;
    /** The counter reset header, the two high bits of the chunk's third byte. */
    static final int UNKNOWN = 0;
    static final int NOT_COUNTER_RESET = 0x40;
    static final int COUNTER_RESET = 0x80;
    static final int GAUGE = 0xC0;
    private static final long STALE_NAN = 0x7ff0000000000002L;
    private static final int CUSTOM_BUCKETS_SCHEMA = -53;

    private enum Next { APPEND, CUT, RESET }

    private HistogramChunk() {
    }

    /**
     * The chunks of histograms [from, to) of one series, in time order: a new chunk where the kind (integer or
     * float) changes, after {@link #MAX_SAMPLES}, and where Prometheus' appender could not append (schema or zero
     * threshold changed, a histogram after a staleness marker, gauge and counter histograms mixed), its header
     * COUNTER_RESET where the count, the zero bucket or any bucket went down, a bucket disappeared, or the
     * histogram says it was reset. Buckets that appear join the chunk's layout, as Prometheus recodes its chunk
     * for them: the earlier histograms hold them empty, and the chunk stays whole.
     */
    public static List<Chunk> chunks(List<Histogram> histograms, int from, int to) {
        Objects.checkFromToIndex(from, to, histograms.size());
        List<Chunk> chunks = new ArrayList<>();
        Cut cut = null;
        for (int i = from; i < to; i++) {
            Point point = new Point(histograms.get(i));
            if (cut == null) {
                cut = new Cut(point, header(point, point.resetHinted ? Next.RESET : Next.CUT));
                continue;
            }
            Next next = cut.next(point);
            if (next == Next.APPEND && cut.points.size() < MAX_SAMPLES && cut.worstBytesWith(point) <= MAX_BYTES) {
                cut.append(point);
            } else {
                chunks.add(cut.encode());
                cut = new Cut(point, header(point, next));
            }
        }
        if (cut != null) {
            chunks.add(cut.encode());
        }
        return chunks;
    }

    /** What Prometheus 2.42's head writes in the chunk it cuts for a histogram (head_append.go, appendHistogram). */
    private static int header(Point point, Next next) {
        if (point.gauge) {
            return GAUGE;
        }
        return switch (next) {
            case RESET -> COUNTER_RESET;
            case APPEND -> NOT_COUNTER_RESET;
            case CUT -> UNKNOWN;
        };
    }

    /** A chunk being cut: its histograms, and the layout that holds the buckets of all. */
    private static final class Cut {

        final List<Point> points = new ArrayList<>();
        final int header;
        final boolean floats;
        final int schema;
        final double zeroThreshold;
        final List<Double> customValues;
        Side positive;
        Side negative;

        Cut(Point first, int header) {
            this.header = header;
            floats = first.floats;
            // a staleness marker's layout is an empty one: Prometheus empties the histogram before appending it
            schema = first.schema;
            zeroThreshold = first.zeroThreshold;
            customValues = first.customValues;
            positive = first.positive;
            negative = first.negative;
            points.add(first);
        }

        /** Prometheus' appendable, or appendableGauge for gauge histograms. */
        Next next(Point point) {
            Point last = points.get(points.size() - 1);
            if (point.floats != floats) {
                return Next.CUT;
            }
            if (point.gauge) {
                return header == GAUGE && (point.stale || !last.stale && sameLayout(point)) ? Next.APPEND : Next.CUT;
            }
            if (point.resetHinted) {
                return Next.RESET;
            }
            if (header == GAUGE) {
                return Next.CUT;
            }
            if (point.stale) {
                return Next.APPEND;
            }
            if (last.stale) {
                return Next.CUT;
            }
            if (floats ? point.floatCount < last.floatCount : Long.compareUnsigned(point.count, last.count) < 0) {
                return Next.RESET;
            }
            if (point.schema != schema || point.zeroThreshold != zeroThreshold) {
                return Next.CUT;
            }
            if (point.schema == CUSTOM_BUCKETS_SCHEMA && !point.customValues.equals(customValues)) {
                return Next.RESET;
            }
            if (floats ? point.floatZeroCount < last.floatZeroCount
                    : Long.compareUnsigned(point.zeroCount, last.zeroCount) < 0) {
                return Next.RESET;
            }
            return point.positive.holdsNoLess(positive, last.positive, floats)
                    && point.negative.holdsNoLess(negative, last.negative, floats) ? Next.APPEND : Next.RESET;
        }

        private boolean sameLayout(Point point) {
            return point.schema == schema && point.zeroThreshold == zeroThreshold
                    && (schema != CUSTOM_BUCKETS_SCHEMA || point.customValues.equals(customValues));
        }

        void append(Point point) {
            points.add(point);
            if (point.stale) {
                return;
            }
            if (point.gauge) {
                positive = positive.union(point.positive);
                negative = negative.union(point.negative);
            } else {
                // a counter's histogram holds every bucket of the layout (else it was a reset): more, its spans
                // become the layout's, as Prometheus recodes the chunk to them
                positive = point.positive.index.length > positive.index.length ? point.positive : positive;
                negative = point.negative.index.length > negative.index.length ? point.negative : negative;
            }
        }

        long worstBytesWith(Point point) {
            long buckets = positive.index.length + negative.index.length + point.positive.index.length
                    + point.negative.index.length;
            long spans = positive.spans.size() + negative.spans.size() + customValues.size();
            return 32 + 20 * spans + (points.size() + 1L) * 10 * (4 + buckets);
        }

        Chunk encode() {
            ChunkBits out = new ChunkBits(64 + points.size() * (8 + 2 * (positive.index.length
                    + negative.index.length)));
            out.write(points.size(), 16);
            out.write(header, 8);
            writeZeroThreshold(out, zeroThreshold);
            out.writeVarbitInt(schema);
            positive.writeSpans(out);
            negative.writeSpans(out);
            if (schema == CUSTOM_BUCKETS_SCHEMA) {
                out.writeVarbitUint(customValues.size());
                for (double bound : customValues) {
                    writeCustomBound(out, bound);
                }
            }
            if (floats) {
                writeFloatSamples(out);
            } else {
                writeIntegerSamples(out);
            }
            return Chunk.newBuilder().setMinTimeMs(points.get(0).time).setMaxTimeMs(points.get(points.size() - 1).time)
                    .setType(floats ? Chunk.Encoding.FLOAT_HISTOGRAM : Chunk.Encoding.HISTOGRAM)
                    .setData(ByteString.copyFrom(out.bytes())).build();
        }

        /**
         * HistogramAppender.appendHistogram: the first histogram's time, counts, sum and buckets (each the delta to
         * the bucket before) whole, then delta-of-deltas of each, the sum XORed; a staleness marker's counts as
         * unchanged and no buckets.
         */
        private void writeIntegerSamples(ChunkBits out) {
            long time = 0;
            long timeDelta = 0;
            long count = 0;
            long countDelta = 0;
            long zeroCount = 0;
            long zeroCountDelta = 0;
            long[] buckets = new long[positive.index.length + negative.index.length];
            long[] bucketDeltas = new long[buckets.length];
            ChunkBits.Xor sum = null;
            for (Point point : points) {
                long[] newBuckets = point.stale ? null : layoutDeltas(point);
                long newTimeDelta = 0;
                long newCountDelta = 0;
                long newZeroCountDelta = 0;
                if (sum == null) {
                    out.writeVarbitInt(point.time);
                    out.writeVarbitUint(point.count);
                    out.writeVarbitUint(point.zeroCount);
                    out.write(point.sumBits, 64);
                    sum = new ChunkBits.Xor(point.sumBits);
                    for (long bucket : newBuckets == null ? new long[0] : newBuckets) {
                        out.writeVarbitInt(bucket);
                    }
                } else {
                    newTimeDelta = point.time - time;
                    newCountDelta = point.count - count;
                    newZeroCountDelta = point.zeroCount - zeroCount;
                    out.writeVarbitInt(newTimeDelta - timeDelta);
                    out.writeVarbitInt(point.stale ? 0 : newCountDelta - countDelta);
                    out.writeVarbitInt(point.stale ? 0 : newZeroCountDelta - zeroCountDelta);
                    sum.write(out, point.sumBits);
                    for (int i = 0; newBuckets != null && i < newBuckets.length; i++) {
                        long delta = newBuckets[i] - buckets[i];
                        out.writeVarbitInt(delta - bucketDeltas[i]);
                        bucketDeltas[i] = delta;
                    }
                }
                time = point.time;
                timeDelta = newTimeDelta;
                count = point.count;
                countDelta = newCountDelta;
                zeroCount = point.zeroCount;
                zeroCountDelta = newZeroCountDelta;
                if (newBuckets != null) {
                    System.arraycopy(newBuckets, 0, buckets, 0, buckets.length);
                }
            }
        }

        /**
         * FloatHistogramAppender.appendFloatHistogram: the first histogram's time, counts, sum and bucket counts
         * whole, then the time's delta-of-delta and each number XORed with its value before; a staleness marker's
         * counts as 0 and no buckets.
         */
        private void writeFloatSamples(ChunkBits out) {
            long time = 0;
            long timeDelta = 0;
            ChunkBits.Xor count = null;
            ChunkBits.Xor zeroCount = null;
            ChunkBits.Xor sum = null;
            ChunkBits.Xor[] buckets = new ChunkBits.Xor[positive.index.length + negative.index.length];
            for (Point point : points) {
                long countBits = Double.doubleToRawLongBits(point.floatCount);
                long zeroCountBits = Double.doubleToRawLongBits(point.floatZeroCount);
                long[] bucketBits = point.stale ? new long[0] : layoutCounts(point);
                long newTimeDelta = 0;
                if (count == null) {
                    out.writeVarbitInt(point.time);
                    out.write(countBits, 64);
                    out.write(zeroCountBits, 64);
                    out.write(point.sumBits, 64);
                    count = new ChunkBits.Xor(countBits);
                    zeroCount = new ChunkBits.Xor(zeroCountBits);
                    sum = new ChunkBits.Xor(point.sumBits);
                    for (int i = 0; i < bucketBits.length; i++) {
                        out.write(bucketBits[i], 64);
                        buckets[i] = new ChunkBits.Xor(bucketBits[i]);
                    }
                } else {
                    newTimeDelta = point.time - time;
                    out.writeVarbitInt(newTimeDelta - timeDelta);
                    count.write(out, countBits);
                    zeroCount.write(out, zeroCountBits);
                    sum.write(out, point.sumBits);
                    for (int i = 0; i < bucketBits.length; i++) {
                        buckets[i].write(out, bucketBits[i]);
                    }
                }
                time = point.time;
                timeDelta = newTimeDelta;
            }
        }

        /** The histogram's buckets in the layout, positive then negative, each the delta to the one before. */
        private long[] layoutDeltas(Point point) {
            long[] deltas = new long[positive.index.length + negative.index.length];
            int i = 0;
            for (Side[] side : new Side[][] {{positive, point.positive}, {negative, point.negative}}) {
                long before = 0;
                for (int index : side[0].index) {
                    long bucket = side[1].count(index);
                    deltas[i++] = bucket - before;
                    before = bucket;
                }
            }
            return deltas;
        }

        /** The histogram's bucket counts in the layout, positive then negative, as their bits. */
        private long[] layoutCounts(Point point) {
            long[] counts = new long[positive.index.length + negative.index.length];
            int i = 0;
            for (Side[] side : new Side[][] {{positive, point.positive}, {negative, point.negative}}) {
                for (int index : side[0].index) {
                    counts[i++] = Double.doubleToRawLongBits(side[1].floatCount(index));
                }
            }
            return counts;
        }
    }

    /** One histogram in the terms of the chunk; a staleness marker emptied, as Prometheus appends it. */
    private static final class Point {

        final long time;
        final boolean floats;
        final boolean stale;
        final boolean gauge;
        final boolean resetHinted;
        final int schema;
        final double zeroThreshold;
        final List<Double> customValues;
        /** Integer histograms' counts, unsigned as Go's uint64. */
        final long count;
        final long zeroCount;
        final double floatCount;
        final double floatZeroCount;
        final long sumBits;
        final Side positive;
        final Side negative;

        Point(Histogram histogram) {
            time = histogram.getTimestamp();
            floats = histogram.getCountCase() == Histogram.CountCase.COUNT_FLOAT;
            sumBits = Double.doubleToRawLongBits(histogram.getSum());
            stale = sumBits == STALE_NAN;
            gauge = histogram.getResetHint() == Histogram.ResetHint.GAUGE;
            resetHinted = histogram.getResetHint() == Histogram.ResetHint.YES;
            boolean full = !stale;
            schema = full ? histogram.getSchema() : 0;
            zeroThreshold = full ? histogram.getZeroThreshold() : 0;
            customValues = full && schema == CUSTOM_BUCKETS_SCHEMA ? histogram.getCustomValuesList() : List.of();
            boolean floatZero = histogram.getZeroCountCase() == Histogram.ZeroCountCase.ZERO_COUNT_FLOAT;
            count = full && !floats ? histogram.getCountInt() : 0;
            zeroCount = full && !floats ? floatZero ? (long) histogram.getZeroCountFloat()
                    : histogram.getZeroCountInt() : 0;
            floatCount = full && floats ? histogram.getCountFloat() : 0;
            floatZeroCount = full && floats ? floatZero ? histogram.getZeroCountFloat()
                    : histogram.getZeroCountInt() : 0;
            positive = full ? new Side(histogram.getPositiveSpansList(), histogram.getPositiveDeltasList(),
                    histogram.getPositiveCountsList(), floats) : Side.EMPTY;
            negative = full ? new Side(histogram.getNegativeSpansList(), histogram.getNegativeDeltasList(),
                    histogram.getNegativeCountsList(), floats) : Side.EMPTY;
        }
    }

    /** One side's spans, the bucket indexes they make (ascending), and the buckets' absolute counts. */
    private static final class Side {

        static final Side EMPTY = new Side(List.of(), List.of(), List.of(), false);

        final List<BucketSpan> spans;
        final int[] index;
        final long[] counts;
        final double[] floatCounts;

        Side(List<BucketSpan> spans, List<Long> deltas, List<Double> floatCounts, boolean floats) {
            this.spans = spans;
            index = indexes(spans);
            counts = new long[floats ? 0 : index.length];
            long count = 0;
            for (int i = 0; i < counts.length && i < deltas.size(); i++) {
                count += deltas.get(i);
                counts[i] = count;
            }
            this.floatCounts = new double[floats ? index.length : 0];
            for (int i = 0; i < this.floatCounts.length && i < floatCounts.size(); i++) {
                this.floatCounts[i] = floatCounts.get(i);
            }
        }

        private Side(List<BucketSpan> spans, int[] index) {
            this.spans = spans;
            this.index = index;
            counts = new long[0];
            floatCounts = new double[0];
        }

        /** The first span's offset is the first index, each other's the gap after the span before. */
        private static int[] indexes(List<BucketSpan> spans) {
            int total = 0;
            for (BucketSpan span : spans) {
                total += span.getLength();
            }
            int[] index = new int[total];
            int next = 0;
            int i = 0;
            for (BucketSpan span : spans) {
                next += span.getOffset();
                for (int k = 0; k < span.getLength(); k++) {
                    index[i++] = next++;
                }
            }
            return index;
        }

        long count(int bucket) {
            int i = Arrays.binarySearch(index, bucket);
            return i >= 0 && i < counts.length ? counts[i] : 0;
        }

        double floatCount(int bucket) {
            int i = Arrays.binarySearch(index, bucket);
            return i >= 0 && i < floatCounts.length ? floatCounts[i] : 0;
        }

        /** Whether this side has every bucket of {@code layout}, none below its count in {@code last}. */
        boolean holdsNoLess(Side layout, Side last, boolean floats) {
            for (int bucket : layout.index) {
                int i = Arrays.binarySearch(index, bucket);
                if (i < 0 || (floats ? floatCounts[i] < last.floatCount(bucket) : counts[i] < last.count(bucket))) {
                    return false;
                }
            }
            return true;
        }

        /** Both sides' buckets, in spans of their own: a gauge's chunk holds every bucket any of its histograms has. */
        Side union(Side other) {
            int[] both = IntStream.concat(Arrays.stream(index), Arrays.stream(other.index))
                    .sorted().distinct().toArray();
            if (both.length == index.length) {
                return this;
            }
            List<BucketSpan> union = new ArrayList<>();
            for (int i = 0; i < both.length; ) {
                int start = i;
                while (i + 1 < both.length && both[i + 1] == both[i] + 1) {
                    i++;
                }
                i++;
                int offset = start == 0 ? both[0] : both[start] - both[start - 1] - 1;
                union.add(BucketSpan.newBuilder().setOffset(offset).setLength(i - start).build());
            }
            return new Side(union, both);
        }

        /** putHistogramChunkLayoutSpans: the number of spans, then each one's length and offset. */
        void writeSpans(ChunkBits out) {
            out.writeVarbitUint(spans.size());
            for (BucketSpan span : spans) {
                out.writeVarbitUint(Integer.toUnsignedLong(span.getLength()));
                out.writeVarbitInt(span.getOffset());
            }
        }
    }

    /**
     * putZeroThreshold: 0 as a zero byte; a power of two from 2^-243 to 2^10 as a byte of its exponent (Go's
     * Frexp, 0.5·2^exp) plus 243; anything else as 255 and its 8 bytes.
     */
    private static void writeZeroThreshold(ChunkBits out, double threshold) {
        if (threshold == 0) {
            out.write(0, 8);
            return;
        }
        boolean powerOfTwo = threshold > 0 && (Double.doubleToRawLongBits(threshold) & 0xF_FFFF_FFFF_FFFFL) == 0;
        int exponent = Math.getExponent(threshold) + 1;
        if (!powerOfTwo || exponent < -242 || exponent > 11) {
            out.write(255, 8);
            out.write(Double.doubleToRawLongBits(threshold), 64);
            return;
        }
        out.write(exponent + 243, 8);
    }

    /** putCustomBound: thousandths from 0 to 33554.430 as a varbit of them plus 1, else a 0 bit and 8 bytes. */
    private static void writeCustomBound(ChunkBits out, double bound) {
        double thousandths = bound * 1000;
        if (thousandths < 0 || thousandths > 33_554_430 || Math.round(thousandths) / 1000.0 != bound) {
            out.write(0, 1);
            out.write(Double.doubleToRawLongBits(bound), 64);
            return;
        }
        out.writeVarbitUint(Math.round(thousandths) + 1);
    }
}
