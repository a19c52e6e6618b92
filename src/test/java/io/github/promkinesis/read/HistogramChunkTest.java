package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.Histogram;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link HistogramChunk} read back by this test's own reading of Prometheus' histogram chunks (histogram.go's and
 * float_histogram.go's iterators): every histogram comes back (buckets, counts, sum bits, schema, zero threshold,
 * custom bounds), chunks are cut where Prometheus cuts them, with its counter reset header. HistogramChunkIT holds
 * the decoder and the bytes against Prometheus 2.42 itself.
 */
public class HistogramChunkTest {

    public static final long STALE_NAN = 0x7ff0000000000002L;
    private static final long T0 = 1_790_000_000_000L;
    private static final double DEFAULT_ZERO_THRESHOLD = 0x1p-128;

    /** A chunk's counter reset header and its histograms, as Prometheus' iterator gives them. */
    public record Decoded(int header, List<Histogram> histograms) {
    }

    @Test
    void integerHistogramsComeBackCutWherePrometheusCutsThem() {
        List<Histogram> written = new ArrayList<>();
        long base = 0;
        for (int i = 0; i <= 208; i++) {
            long t = T0 + i * 15_000L + (i % 7 == 0 ? 3 : 0);
            base += i == 100 ? 1L << 40 : i == 101 ? 1L << 58 : 1 + i % 3;
            long b = base;
            Map<Integer, Long> positive = new TreeMap<>(Map.of(0, b, 1, 2 * b, 2, b / 2));
            Map<Integer, Long> negative = new TreeMap<>(Map.of(-1, b / 3));
            int schema = i < 40 ? 3 : 2;
            double zeroThreshold = i < 50 ? DEFAULT_ZERO_THRESHOLD : 0.001;
            Histogram.ResetHint hint = Histogram.ResetHint.UNKNOWN;
            if (i >= 10 && i < 20) {
                positive.put(5, b); // appears: the chunk is recoded, not cut
                positive.put(-2, 1L);
            } else if (i >= 20 && i < 30) {
                positive.remove(1); // disappears: a reset
            } else if (i >= 30 && i < 40) {
                positive.replaceAll((index, count) -> count / 1000); // all down: a reset
                negative.clear();
            }
            if (i == 201) {
                hint = Histogram.ResetHint.YES;
            } else if (i >= 202 && i <= 205) {
                hint = Histogram.ResetHint.GAUGE;
                positive.remove(i % 2 == 0 ? 1 : 2); // buckets coming and going in one chunk
                positive.put(i, (long) i);
            }
            if (i >= 207) {
                positive.put(3, negative.remove(-1)); // custom buckets have no negative side
            }
            Histogram h = integer(t, schema, zeroThreshold, b / 5, b * 0.25, positive, negative, hint);
            if (i == 56 || i == 57) {
                h = stale(t, false);
            } else if (i >= 207) {
                h = h.toBuilder().setSchema(-53).setZeroThreshold(0)
                        .addAllCustomValues(i == 207 ? List.of(0.25, 1.5, 33_554.431, 1e9) : List.of(0.25, 2.0))
                        .build();
            }
            written.add(h);
        }
        List<Chunk> chunks = HistogramChunk.chunks(written, 0, written.size());
        assertEquals(List.of("0-19 unknown", "20-29 reset", "30-39 reset", "40-49 unknown", "50-57 unknown",
                "58-177 unknown", "178-200 not reset", "201-201 reset", "202-205 gauge", "206-206 unknown",
                "207-207 unknown", "208-208 reset"), describe(chunks, written));
        assertEquals(texts(written), decodedTexts(chunks));
    }

    @Test
    void floatHistogramsComeBackCutWherePrometheusCutsThem() {
        List<Histogram> written = new ArrayList<>();
        double base = 0;
        for (int i = 0; i < 160; i++) {
            long t = T0 + i * 10_000L - (i % 5 == 0 ? 1 : 0);
            base += i == 10 ? -base / 2 : 0.5 + i % 4 * 0.1;
            Map<Integer, Double> positive = new TreeMap<>(Map.of(1, base, 3, base * 1.5));
            if (i >= 5) {
                positive.put(2, base / 7);
            }
            Histogram h = floating(t, 1, i < 150 ? DEFAULT_ZERO_THRESHOLD : 0.5, base / 3, base * 1.7, positive,
                    Map.of(-3, base / 11), Histogram.ResetHint.UNKNOWN);
            written.add(i == 15 ? stale(t, true) : h);
        }
        List<Chunk> chunks = HistogramChunk.chunks(written, 0, written.size());
        assertEquals(List.of("0-9 unknown", "10-15 reset", "16-135 unknown", "136-149 not reset",
                "150-159 unknown"), describe(chunks, written));
        assertTrue(chunks.stream().allMatch(c -> c.getType() == Chunk.Encoding.FLOAT_HISTOGRAM));
        assertEquals(texts(written), decodedTexts(chunks));
    }

    @Test
    void aChangeOfKindCutsAndStalenessMarkersKeepTheirBits() {
        List<Histogram> written = List.of(stale(T0, false), stale(T0 + 1, false),
                integer(T0 + 2, 0, 0, 1, 2.5, Map.of(0, 1L), Map.of(), Histogram.ResetHint.NO),
                floating(T0 + 3, 0, 0, 1, 2.5, Map.of(0, 1.0), Map.of(), Histogram.ResetHint.NO),
                stale(T0 + 4, true));
        List<Chunk> chunks = HistogramChunk.chunks(written, 0, written.size());
        assertEquals(List.of("0-1 unknown", "2-2 unknown", "3-4 unknown"), describe(chunks, written));
        assertEquals(List.of(Chunk.Encoding.HISTOGRAM, Chunk.Encoding.HISTOGRAM, Chunk.Encoding.FLOAT_HISTOGRAM),
                chunks.stream().map(Chunk::getType).toList());
        List<Histogram> read = new ArrayList<>();
        chunks.forEach(chunk -> read.addAll(decode(chunk).histograms()));
        assertEquals(List.of(STALE_NAN, STALE_NAN, Double.doubleToRawLongBits(2.5), Double.doubleToRawLongBits(2.5),
                STALE_NAN), read.stream().map(h -> Double.doubleToRawLongBits(h.getSum())).toList());
        assertEquals(texts(written), decodedTexts(chunks));
        assertEquals(List.of(), HistogramChunk.chunks(written, 2, 2));
    }

    private static List<String> describe(List<Chunk> chunks, List<Histogram> written) {
        List<String> described = new ArrayList<>();
        for (Chunk chunk : chunks) {
            Decoded decoded = decode(chunk);
            int first = indexOf(written, chunk.getMinTimeMs());
            int last = indexOf(written, chunk.getMaxTimeMs());
            assertEquals(last - first + 1, decoded.histograms().size(), "samples of " + first + "-" + last);
            described.add(first + "-" + last + " " + switch (decoded.header()) {
                case 0x80 -> "reset";
                case 0x40 -> "not reset";
                case 0xC0 -> "gauge";
                default -> "unknown";
            });
        }
        return described;
    }

    private static int indexOf(List<Histogram> histograms, long time) {
        for (int i = 0; i < histograms.size(); i++) {
            if (histograms.get(i).getTimestamp() == time) {
                return i;
            }
        }
        throw new AssertionError("no histogram at " + time);
    }

    private static List<String> texts(List<Histogram> histograms) {
        return histograms.stream().map(HistogramChunkTest::text).toList();
    }

    private static List<String> decodedTexts(List<Chunk> chunks) {
        List<String> texts = new ArrayList<>();
        for (Chunk chunk : chunks) {
            Decoded decoded = decode(chunk);
            assertEquals(chunk.getMinTimeMs(), decoded.histograms().get(0).getTimestamp());
            assertEquals(chunk.getMaxTimeMs(), decoded.histograms().get(decoded.histograms().size() - 1)
                    .getTimestamp());
            texts.addAll(texts(decoded.histograms()));
        }
        return texts;
    }

    /**
     * An integer histogram of these absolute bucket counts (index to count, each side), its spans made with a new
     * span at each skipped index, its count the zero bucket's and the buckets' together.
     */
    public static Histogram integer(long time, int schema, double zeroThreshold, long zeroCount, double sum,
                                    Map<Integer, Long> positive, Map<Integer, Long> negative,
                                    Histogram.ResetHint hint) {
        return withBuckets(time, schema, zeroThreshold, sum, hint, positive, negative, false)
                .setZeroCountInt(zeroCount).setCountInt(zeroCount + Stream.of(positive, negative)
                        .flatMap(side -> side.values().stream()).mapToLong(Long::longValue).sum()).build();
    }

    /** A float histogram of these bucket counts, as {@link #integer}. */
    public static Histogram floating(long time, int schema, double zeroThreshold, double zeroCount, double sum,
                                     Map<Integer, Double> positive, Map<Integer, Double> negative,
                                     Histogram.ResetHint hint) {
        return withBuckets(time, schema, zeroThreshold, sum, hint, positive, negative, true)
                .setZeroCountFloat(zeroCount).setCountFloat(zeroCount + Stream.of(positive, negative)
                        .flatMap(side -> side.values().stream()).mapToDouble(Double::doubleValue).sum()).build();
    }

    /** All but the counts, each side's buckets an integer histogram's deltas to the bucket before or float counts. */
    private static Histogram.Builder withBuckets(long time, int schema, double zeroThreshold, double sum,
                                                 Histogram.ResetHint hint, Map<Integer, ? extends Number> positive,
                                                 Map<Integer, ? extends Number> negative, boolean floats) {
        Histogram.Builder h = Histogram.newBuilder().setTimestamp(time).setSchema(schema)
                .setZeroThreshold(zeroThreshold).setSum(sum).setResetHint(hint)
                .addAllPositiveSpans(spansOf(positive.keySet())).addAllNegativeSpans(spansOf(negative.keySet()));
        for (int side = 0; side < 2; side++) {
            long before = 0;
            for (Number bucket : new TreeMap<>(side == 0 ? positive : negative).values()) {
                if (floats && side == 0) {
                    h.addPositiveCounts(bucket.doubleValue());
                } else if (floats) {
                    h.addNegativeCounts(bucket.doubleValue());
                } else if (side == 0) {
                    h.addPositiveDeltas(bucket.longValue() - before);
                } else {
                    h.addNegativeDeltas(bucket.longValue() - before);
                }
                before = bucket.longValue();
            }
        }
        return h;
    }

    /** A staleness marker: the sum's NaN bits 0x7ff0000000000002, nothing else. */
    public static Histogram stale(long time, boolean floats) {
        Histogram.Builder h = Histogram.newBuilder().setTimestamp(time).setSum(Double.longBitsToDouble(STALE_NAN));
        return floats ? h.setCountFloat(0).build() : h.setCountInt(0).build();
    }

    private static List<BucketSpan> spansOf(Set<Integer> indexes) {
        List<BucketSpan> spans = new ArrayList<>();
        Integer before = null;
        for (int index : indexes.stream().sorted().toList()) {
            if (before == null || index != before + 1) {
                spans.add(BucketSpan.newBuilder().setOffset(before == null ? index : index - before - 1).build());
            }
            BucketSpan last = spans.get(spans.size() - 1);
            spans.set(spans.size() - 1, last.toBuilder().setLength(last.getLength() + 1).build());
            before = index;
        }
        return spans;
    }

    /**
     * A histogram as text to compare: time, kind, counts, the sum's bits, schema, zero threshold, custom bounds and
     * each side's non-empty buckets by index (spans and empty buckets aside: Prometheus' chunk may hold more
     * buckets than a histogram had, empty); a staleness marker as its time and "stale".
     */
    public static String text(Histogram h) {
        long sum = Double.doubleToRawLongBits(h.getSum());
        if (sum == STALE_NAN) {
            return h.getTimestamp() + " stale";
        }
        boolean floats = h.getCountCase() == Histogram.CountCase.COUNT_FLOAT;
        boolean floatZero = h.getZeroCountCase() == Histogram.ZeroCountCase.ZERO_COUNT_FLOAT;
        String count = floats ? Double.toString(h.getCountFloat()) : Long.toUnsignedString(h.getCountInt());
        String zero = floats ? Double.toString(floatZero ? h.getZeroCountFloat() : h.getZeroCountInt())
                : Long.toString(floatZero ? (long) h.getZeroCountFloat() : h.getZeroCountInt());
        return h.getTimestamp() + (floats ? " float" : " int") + " count=" + count + " zero=" + zero + " sum="
                + Long.toHexString(sum) + " schema=" + h.getSchema() + " zt=" + h.getZeroThreshold()
                + (h.getCustomValuesCount() > 0 ? " custom=" + h.getCustomValuesList() : "")
                + " +" + buckets(h.getPositiveSpansList(), h.getPositiveDeltasList(), h.getPositiveCountsList(),
                floats) + " -" + buckets(h.getNegativeSpansList(), h.getNegativeDeltasList(),
                h.getNegativeCountsList(), floats);
    }

    private static Map<Integer, String> buckets(List<BucketSpan> spans, List<Long> deltas, List<Double> counts,
                                                boolean floats) {
        Map<Integer, String> buckets = new TreeMap<>();
        int index = 0;
        int i = 0;
        long count = 0;
        for (BucketSpan span : spans) {
            index += span.getOffset();
            for (int k = 0; k < span.getLength(); k++, i++, index++) {
                if (floats) {
                    if (counts.get(i) != 0) {
                        buckets.put(index, Double.toString(counts.get(i)));
                    }
                } else {
                    count += deltas.get(i);
                    if (count != 0) {
                        buckets.put(index, Long.toString(count));
                    }
                }
            }
        }
        return buckets;
    }

    public static Decoded decode(Chunk chunk) {
        assertTrue(chunk.getType() == Chunk.Encoding.HISTOGRAM || chunk.getType() == Chunk.Encoding.FLOAT_HISTOGRAM,
                chunk.getType().toString());
        return decode(chunk.getData().toByteArray(), chunk.getType() == Chunk.Encoding.FLOAT_HISTOGRAM,
                new HashSet<>());
    }

    /**
     * histogram.go's histogramIterator, or float_histogram.go's floatHistogramIterator: the count (2 bytes), the
     * counter reset header (the third byte's two high bits), the layout, then the histograms; each branch of the
     * number codings read noted in {@code cases}.
     */
    public static Decoded decode(byte[] chunk, boolean floats, Set<String> cases) {
        int count = ((chunk[0] & 0xFF) << 8) | (chunk[1] & 0xFF);
        int header = chunk[2] & 0xC0;
        assertEquals(0, chunk[2] & 0x3F, "the header byte's other bits");
        ChunkBitReader in = new ChunkBitReader(chunk, 24);
        List<Histogram> histograms = new ArrayList<>();
        if (count == 0) {
            return new Decoded(header, histograms);
        }
        double zeroThreshold = zeroThreshold(in);
        int schema = (int) in.varbitInt();
        List<BucketSpan> positive = spans(in);
        List<BucketSpan> negative = spans(in);
        List<Double> custom = new ArrayList<>();
        if (schema == -53) {
            for (long n = in.varbitUint(); n > 0; n--) {
                long thousandths = in.varbitUint();
                custom.add(thousandths == 0 ? Double.longBitsToDouble(in.read(64)) : (thousandths - 1) / 1000.0);
            }
        }
        int positiveBuckets = positive.stream().mapToInt(BucketSpan::getLength).sum();
        int buckets = positiveBuckets + negative.stream().mapToInt(BucketSpan::getLength).sum();
        long time = 0;
        long timeDelta = 0;
        // integer chunks: counts and each bucket (the delta to the bucket before) with the delta before; float
        // chunks: the bits of each, and its XOR window
        long[] values = new long[3 + buckets];
        long[] deltas = new long[3 + buckets];
        int[][] windows = new int[3 + buckets][2];
        for (int i = 0; i < count; i++) {
            if (i == 0) {
                time = in.varbitInt();
                values[0] = floats ? in.read(64) : in.varbitUint();
                values[1] = floats ? in.read(64) : in.varbitUint();
                values[2] = in.read(64);
                for (int k = 3; k < values.length; k++) {
                    values[k] = floats ? in.read(64) : in.varbitInt();
                }
            } else {
                timeDelta += in.varbitInt();
                time += timeDelta;
                for (int k = 0; k < 3; k++) {
                    if (k == 2 || floats) {
                        values[k] = in.xor(values[k], windows[k], cases);
                    } else {
                        deltas[k] += in.varbitInt();
                        values[k] += deltas[k];
                    }
                }
                if (values[2] != STALE_NAN) {
                    for (int k = 3; k < values.length; k++) {
                        if (floats) {
                            values[k] = in.xor(values[k], windows[k], cases);
                        } else {
                            deltas[k] += in.varbitInt();
                            values[k] += deltas[k];
                        }
                    }
                }
            }
            if (values[2] == STALE_NAN) {
                histograms.add(stale(time, floats));
                continue;
            }
            Histogram.Builder h = Histogram.newBuilder().setTimestamp(time).setSchema(schema)
                    .setZeroThreshold(zeroThreshold).setSum(Double.longBitsToDouble(values[2]))
                    .addAllPositiveSpans(positive).addAllNegativeSpans(negative).addAllCustomValues(custom);
            if (header == 0xC0) {
                h.setResetHint(Histogram.ResetHint.GAUGE);
            }
            if (floats) {
                h.setCountFloat(Double.longBitsToDouble(values[0]))
                        .setZeroCountFloat(Double.longBitsToDouble(values[1]));
                for (int k = 3; k < values.length; k++) {
                    double bucket = Double.longBitsToDouble(values[k]);
                    if (k - 3 < positiveBuckets) {
                        h.addPositiveCounts(bucket);
                    } else {
                        h.addNegativeCounts(bucket);
                    }
                }
            } else {
                h.setCountInt(values[0]).setZeroCountInt(values[1]);
                for (int k = 3; k < values.length; k++) {
                    if (k - 3 < positiveBuckets) {
                        h.addPositiveDeltas(values[k]);
                    } else {
                        h.addNegativeDeltas(values[k]);
                    }
                }
            }
            histograms.add(h.build());
        }
        int unused = chunk.length * 8 - in.position();
        assertTrue(unused >= 0 && unused <= 8, unused + " bits left at the end");
        if (unused == 8) {
            cases.add("empty last byte");
        }
        return new Decoded(header, histograms);
    }

    /** readZeroThreshold: 0, 255 then 8 bytes, or 0.5·2^(byte-243). */
    private static double zeroThreshold(ChunkBitReader in) {
        int b = (int) in.read(8);
        return switch (b) {
            case 0 -> 0;
            case 255 -> Double.longBitsToDouble(in.read(64));
            default -> Math.scalb(0.5, b - 243);
        };
    }

    private static List<BucketSpan> spans(ChunkBitReader in) {
        List<BucketSpan> spans = new ArrayList<>();
        for (long n = in.varbitUint(); n > 0; n--) {
            int length = (int) in.varbitUint();
            int offset = (int) in.varbitInt();
            spans.add(BucketSpan.newBuilder().setLength(length).setOffset(offset).build());
        }
        return spans;
    }
}
