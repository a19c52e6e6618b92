package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link XorChunk} against Prometheus itself: promtool (Debian's Prometheus 2.42, as on the CI machines) turns an
 * OpenMetrics file into blocks; each chunk of the blocks, decoded here as xor.go's iterator reads it, is encoded
 * again and must come out byte for byte.
 */
public class XorChunkTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final long START = 1_700_000_000_000L;
    private static final long STALE_NAN = 0x7ff0000000000002L;
    private static final HexFormat HEX = HexFormat.of();
    /** Every branch of the format, which the file's series must make Prometheus write. */
    private static final Set<String> ALL_CASES = Set.of("dod 0", "dod 14 bits", "dod 17 bits", "dod 20 bits",
            "dod 64 bits", "value unchanged", "value in the window before", "value in a new window",
            "64 significant bits", "leading zeros capped at 31", "one sample", "empty last byte");

    @TempDir
    Path dir;

    @Test
    void encodesPrometheusChunksByteForByte() throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), "needs promtool from Debian's prometheus package");
        Map<String, Series> written = series();
        Path file = dir.resolve("series.om");
        Files.writeString(file, openMetrics(written));
        Path blocks = dir.resolve("blocks");
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics",
                file.toString(), blocks.toString()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(60, TimeUnit.SECONDS), "promtool ended within 60 s");
        assertEquals(0, promtool.exitValue(), output);

        Map<String, List<String>> read = new TreeMap<>();
        Set<String> cases = new TreeSet<>();
        int compared = 0;
        for (Path block : blocksInTimeOrder(blocks)) {
            String meta = Files.readString(block.resolve("meta.json"));
            long minTime = metaField(meta, "minTime");
            long maxTime = metaField(meta, "maxTime");
            List<byte[]> chunks = chunks(block.resolve("chunks/000001"));
            int next = 0;
            // a block's chunks are its series' in label order (only __name__ here), each series' in time order
            for (Series series : written.values()) {
                long inBlock = Arrays.stream(series.times).filter(t -> t >= minTime && t < maxTime).count();
                List<String> samples = read.computeIfAbsent(series.name, name -> new ArrayList<>());
                for (int got = 0; got < inBlock; ) {
                    assertTrue(next < chunks.size(), block + ": fewer chunks than samples of " + series.name);
                    byte[] prometheus = chunks.get(next);
                    Decoded decoded = decode(prometheus, cases);
                    double[] values = Arrays.stream(decoded.bits).mapToDouble(Double::longBitsToDouble).toArray();
                    byte[] encoded = XorChunk.encode(decoded.times, values, 0, decoded.times.length);
                    assertEquals(HEX.formatHex(prometheus), HEX.formatHex(encoded),
                            block + " chunk " + next + " of " + series.name);
                    byte[] flipped = encoded.clone();
                    flipped[next % flipped.length] ^= (byte) (1 << (next % 8));
                    assertNotEquals(HEX.formatHex(prometheus), HEX.formatHex(flipped));
                    for (int i = 0; i < decoded.times.length; i++) {
                        samples.add(sample(decoded.times[i], decoded.bits[i]));
                    }
                    got += decoded.times.length;
                    next++;
                    compared++;
                }
            }
            assertEquals(chunks.size(), next, block + ": chunks of no series");
        }
        for (Series series : written.values()) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < series.times.length; i++) {
                expected.add(sample(series.times[i], Double.doubleToRawLongBits(series.values[i])));
            }
            assertEquals(expected, read.get(series.name), series.name);
        }
        assertEquals(new TreeSet<>(ALL_CASES), cases);
        assertTrue(compared > 50, compared + " chunks");
    }

    @Test
    void keepsTheStalenessMarkerAndNanPayloadsBitForBit() {
        long payload = 0x7ff8_0000_dead_beefL;
        long[] times = {-1_500, -500, 1_000, 61_000, 61_001};
        long[] bits = {STALE_NAN, Double.doubleToRawLongBits(1.5), STALE_NAN, payload, STALE_NAN};
        double[] values = Arrays.stream(bits).mapToDouble(Double::longBitsToDouble).toArray();
        Decoded decoded = decode(XorChunk.encode(times, values, 0, times.length), new TreeSet<>());
        assertEquals(Arrays.toString(times), Arrays.toString(decoded.times));
        assertEquals(HEX.formatHex(toBytes(bits)), HEX.formatHex(toBytes(decoded.bits)));
    }

    @Test
    void encodesARangeOfTheArrays() {
        long[] times = {1_000, 2_000, 3_000, 4_000};
        double[] values = {1, 2, 3, 4};
        assertEquals(HEX.formatHex(XorChunk.encode(new long[] {2_000, 3_000}, new double[] {2, 3}, 0, 2)),
                HEX.formatHex(XorChunk.encode(times, values, 1, 3)));
        assertEquals("0000", HEX.formatHex(XorChunk.encode(times, values, 2, 2)));
    }

    private record Series(String name, String type, long[] times, double[] values) {
    }

    public record Decoded(long[] times, long[] bits) {
    }

    /**
     * Four series over half a day, sorted by name as Prometheus sorts them: a counter with resets and jitter of a
     * few ms, a constant, hostile values at intervals that hit each delta-of-delta bucket's bounds, and a gauge of
     * random doubles at irregular intervals with gaps of hours and a lone sample in its own block.
     */
    private static Map<String, Series> series() {
        Random random = new Random(42);
        Map<String, Series> series = new TreeMap<>();

        int n = 4_000;
        long[] times = new long[n];
        double[] values = new double[n];
        double count = 0;
        for (int i = 0; i < n; i++) {
            // a gap of three hours after the first 3000
            times[i] = START + i * 5_000L + (i >= 3_000 ? 3 * 3_600_000 : 0) + random.nextInt(7) - 3;
            // a reset now and then
            count = random.nextInt(200) == 0 ? random.nextInt(5) : count + random.nextInt(50);
            values[i] = count;
        }
        series.put("xor_requests_total", new Series("xor_requests_total", "counter", times, values));

        n = 1_000;
        times = new long[n];
        values = new double[n];
        for (int i = 0; i < n; i++) {
            times[i] = START + i * 30_000L;
            values[i] = 1;
        }
        series.put("xor_up", new Series("xor_up", "gauge", times, values));

        // 0 to 1 leaves a window of 52 trailing zeros that the next XOR, 1 (1 to the next double), does not fit:
        // a new window, whose 63 leading zeros are written as 31; that double to -1 takes 64 significant bits
        double[] hostile = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 0.0, 1.0,
            Math.nextUp(1.0), -1.0, -1.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_NORMAL,
            1e300, -1e-300, 9_007_199_254_740_993.0, 0.1, 0.30000000000000004, Long.MAX_VALUE, 42};
        long[] offsets = {0, 1, 2, 8_191, 8_192, 8_193, 65_535, 65_536, 65_537, 524_287, 524_288, 524_289};
        n = 400;
        times = new long[n];
        values = new double[n];
        long time = START + 7;
        for (int i = 0; i < n; i++) {
            // deltas alternate between 1 s and 1 s plus an offset: delta-of-deltas of plus and minus each offset
            time += 1_000 + (i % 2 == 0 ? 0 : offsets[(i / 2) % offsets.length]);
            times[i] = time;
            // and after each round of them a random double
            int k = i % (hostile.length + 1);
            values[i] = k < hostile.length ? hostile[k] : random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
        }
        series.put("xor_hostile", new Series("xor_hostile", "gauge", times, values));

        n = 1_400;
        times = new long[n];
        values = new double[n];
        time = START;
        for (int i = 0; i < n; i++) {
            // a lone sample between two gaps of three hours
            time += i == 700 || i == 701 ? 3 * 3_600_000 : 1_000 + random.nextInt(20_000);
            times[i] = time;
            values[i] = 20 + random.nextGaussian() * 5;
        }
        series.put("xor_temperature", new Series("xor_temperature", "gauge", times, values));
        return series;
    }

    private static String openMetrics(Map<String, Series> series) {
        StringBuilder text = new StringBuilder();
        for (Series s : series.values()) {
            String family = s.type.equals("counter") ? s.name.substring(0, s.name.length() - "_total".length())
                    : s.name;
            text.append("# TYPE ").append(family).append(' ').append(s.type).append('\n');
            for (int i = 0; i < s.times.length; i++) {
                // promtool reads seconds as int64(seconds * 1000): exact with three decimals until 2039
                text.append(s.name).append(' ').append(openMetricsValue(s.values[i])).append(' ')
                        .append(Math.floorDiv(s.times[i], 1000)).append('.')
                        .append(String.format("%03d", Math.floorMod(s.times[i], 1000))).append('\n');
            }
        }
        return text.append("# EOF\n").toString();
    }

    private static String openMetricsValue(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        // Java's shortest decimal that reads back to the same double; Go's ParseFloat rounds it to that double too
        return Double.toString(value);
    }

    /** Any NaN is one: OpenMetrics' NaN is Go's math.NaN(), whatever bits the file's value had. */
    private static String sample(long time, long bits) {
        return time + " " + (Double.isNaN(Double.longBitsToDouble(bits)) ? "NaN" : Long.toHexString(bits));
    }

    private static List<Path> blocksInTimeOrder(Path blocks) throws IOException {
        try (Stream<Path> dirs = Files.list(blocks)) {
            List<Path> found = dirs.filter(d -> Files.exists(d.resolve("meta.json")))
                    .sorted(Comparator.comparingLong(d -> metaField(d.resolve("meta.json"), "minTime"))).toList();
            assertTrue(found.size() >= 3, "blocks: " + found);
            return found;
        }
    }

    private static long metaField(Path meta, String field) {
        try {
            return metaField(Files.readString(meta), field);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long metaField(String meta, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\\s*(-?\\d+)").matcher(meta);
        assertTrue(m.find(), field + " in " + meta);
        return Long.parseLong(m.group(1));
    }

    /**
     * A segment file as tsdb/chunks/chunks.go writes it: magic 0x85BD40DD, version 1, three bytes of padding; then
     * each chunk's uvarint length, encoding byte, data and CRC32-Castagnoli of encoding and data, big-endian.
     */
    private static List<byte[]> chunks(Path segment) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(segment));
        assertEquals(0x85BD40DD, in.getInt(), "magic");
        assertEquals(1, in.get(), "segment format version");
        assertEquals(0, in.get() | in.get() | in.get(), "padding");
        List<byte[]> chunks = new ArrayList<>();
        while (in.hasRemaining()) {
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                length |= (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
            }
            byte encoding = in.get();
            assertEquals(1, encoding, "encoding XOR");
            byte[] data = new byte[length];
            in.get(data);
            CRC32C crc = new CRC32C();
            crc.update(encoding);
            crc.update(data);
            assertEquals((int) crc.getValue(), in.getInt(), "CRC32-Castagnoli");
            chunks.add(data);
        }
        return chunks;
    }

    /** xor.go's xorIterator, noting in {@code cases} each branch of the format it reads. */
    public static Decoded decode(byte[] chunk, Set<String> cases) {
        int count = ((chunk[0] & 0xFF) << 8) | (chunk[1] & 0xFF);
        // past the two bytes of the sample count
        ChunkBitReader in = new ChunkBitReader(chunk, 16);
        long[] times = new long[count];
        long[] bits = new long[count];
        long time = 0;
        long delta = 0;
        long value = 0;
        int[] window = new int[2];
        for (int i = 0; i < count; i++) {
            if (i == 0) {
                long zigzag = in.uvarint();
                time = (zigzag >>> 1) ^ -(zigzag & 1);
                value = in.read(64);
            } else {
                if (i == 1) {
                    delta = in.uvarint();
                } else {
                    int ones = 0;
                    while (ones < 4 && in.read(1) == 1) {
                        ones++;
                    }
                    int size = new int[] {0, 14, 17, 20, 64}[ones];
                    long dod = size == 0 ? 0 : in.read(size);
                    // the bucket's two's complement; the largest positive value, 2^(size-1), reads as positive
                    if (size > 0 && size < 64 && dod > 1L << (size - 1)) {
                        dod -= 1L << size;
                    }
                    cases.add("dod " + (size == 0 ? "0" : size + " bits"));
                    delta += dod;
                }
                time += delta;
                value = in.xor(value, window, cases);
            }
            times[i] = time;
            bits[i] = value;
        }
        int unused = chunk.length * 8 - in.position();
        assertTrue(unused >= 0 && unused <= 8, unused + " bits left at the end");
        if (unused == 8) {
            cases.add("empty last byte");
        }
        if (count == 1) {
            cases.add("one sample");
        }
        return new Decoded(times, bits);
    }

    private static byte[] toBytes(long[] longs) {
        ByteBuffer buffer = ByteBuffer.allocate(longs.length * 8);
        for (long l : longs) {
            buffer.putLong(l);
        }
        return buffer.array();
    }
}
