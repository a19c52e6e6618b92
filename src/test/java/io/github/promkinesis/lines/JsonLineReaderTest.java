package io.github.promkinesis.lines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader reads back what the writer writes, bit for bit, and names what it cannot read. */
class JsonLineReaderTest {

    private final JsonLineReader reader = new JsonLineReader();

    @Test
    void everyValueTheWriterWritesComesBackWithItsBits() {
        double[] values = {0.0, -0.0, 0.1 + 0.2, Double.MIN_VALUE, -Double.MAX_VALUE, 1e-310, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS)};
        TimeSeries.Builder series = TimeSeries.newBuilder()
                .addLabels(Label.newBuilder().setName("z").setValue("last \"q\" \\ \n 日本"))
                .addLabels(Label.newBuilder().setName("__name__").setValue("m"));
        for (int i = 0; i < values.length; i++) {
            series.addSamples(Sample.newBuilder().setValue(values[i]).setTimestamp(-5 + i));
        }
        JsonLines lines = ShippedDefaults.encoder().toJsonLines(WriteRequest.newBuilder().addTimeseries(series).build());

        for (int i = 0; i < values.length; i++) {
            ByteBuffer line = lines.slice(i, i + 1);
            ArchivedLine read = reader.read(line.array(), line.arrayOffset() + line.position(), line.remaining() - 1);
            assertEquals(ArchivedLine.Kind.SAMPLE, read.kind());
            assertEquals("m", read.name());
            assertEquals(-5 + i, read.time());
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(read.value()), "value " + i);
            assertEquals("__name__", read.labels().get(0).getName(), "labels sorted by name");
            assertEquals("last \"q\" \\ \n 日本", read.labels().get(1).getValue());
        }
    }

    @Test
    void otherKindsAreToldByTheirMarker() {
        assertEquals(ArchivedLine.Kind.HISTOGRAM, read("{\"name\":\"h\",\"time\":1,\"histogram\":{\"count\":1,"
                + "\"buckets\":[{\"index\":1}]},\"labels\":{\"__name__\":\"h\"}}").kind());
        assertEquals(ArchivedLine.Kind.EXEMPLAR, read("{\"name\":\"h\",\"time\":1,\"exemplar\":{\"value\":1,"
                + "\"labels\":{}},\"labels\":{}}").kind());
        assertEquals(ArchivedLine.Kind.METADATA, read("{\"name\":\"h\",\"time\":1,\"metadata\":{\"type\":\"gauge\"}}")
                .kind());
    }

    @Test
    void whatCannotBeReadIsNamed() {
        assertTrue(refused("not json").startsWith("not JSON"));
        assertEquals("not a JSON object", refused("[1]"));
        assertEquals("unknown field \"colour\"", refused("{\"name\":\"m\",\"time\":1,\"value\":1,\"colour\":1}"));
        assertTrue(refused("{\"name\":\"m\",\"time\":1,\"labels\":{}}").startsWith("not a line of the archive"));
        assertEquals("value \"many\" is no number", refused("{\"name\":\"m\",\"time\":1,\"value\":\"many\"}"));
        assertEquals("time is no whole number", refused("{\"name\":\"m\",\"time\":1.5,\"value\":1}"));
    }

    @Test
    void theFastPathReadsWhatTheJsonParserReads() {
        Random random = new Random(7);
        SampleLineScanner scanner = new SampleLineScanner();
        int fast = 0;
        for (int i = 0; i < 20_000; i++) {
            TimeSeries.Builder series = TimeSeries.newBuilder()
                    .addLabels(Label.newBuilder().setName("__name__").setValue("m" + random.nextInt(50)));
            for (int l = 0; l < random.nextInt(4); l++) {
                series.addLabels(Label.newBuilder().setName("l" + l).setValue(random.nextInt(20) == 0 ? "\"\u00e9\t"
                        : anyText(random)));
            }
            series.addSamples(Sample.newBuilder().setTimestamp(random.nextLong() >> random.nextInt(64))
                    .setValue(anyValue(random)));
            JsonLines lines = ShippedDefaults.encoder().toJsonLines(WriteRequest.newBuilder().addTimeseries(series)
                    .build());
            ByteBuffer line = lines.slice(0, 1);
            byte[] bytes = Arrays.copyOfRange(line.array(), line.arrayOffset() + line.position(),
                    line.arrayOffset() + line.limit() - 1);
            ArchivedLine parsed = reader.parse(bytes, 0, bytes.length);
            ArchivedLine scanned = scanner.scan(bytes, 0, bytes.length);
            if (scanned != null) {
                fast++;
                assertSame(parsed, scanned, new String(bytes, StandardCharsets.UTF_8));
            }
            assertSame(parsed, reader.read(bytes, 0, bytes.length), new String(bytes, StandardCharsets.UTF_8));
            if (reader.key(bytes, 0, bytes.length)) {
                assertEquals(scanned != null, true, "the key is read only from lines the fast path takes");
                assertEquals(parsed.time(), reader.keyTime());
                assertEquals(parsed.series().hashCode(), reader.keySeriesHash());
            } else {
                assertEquals(null, scanned, "a line the fast path takes has its key read too");
            }
        }
        assertTrue(fast > 15_000, "most lines take the fast path: " + fast);
    }

    @Test
    void linesNotInTheWritersShapeGoToTheJsonParser() {
        SampleLineScanner scanner = new SampleLineScanner();
        for (String line : new String[] {
            "{\"name\":\"m\",\"time\":01,\"value\":1,\"labels\":{}}",
            "{\"name\":\"m\",\"time\":1,\"value\":1.,\"labels\":{}}",
            "{\"name\":\"m\",\"time\":1,\"value\":-,\"labels\":{}}",
            "{\"name\":\"m\",\"time\":1,\"value\":\"many\",\"labels\":{}}",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"stale\":false,\"labels\":{}}",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"labels\":{\"b\":\"1\",\"a\":\"2\"}}",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"labels\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"labels\":{}} ",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"labels\":{\"a\":\"\u00e9\"}}",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"labels\":{\"a\":\"x\"",
            "{\"name\":\"m\",\"time\":1,\"value\":1,\"colour\":1,\"labels\":{}}",
        }) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertNull(scanner.scan(bytes, 0, bytes.length), line);
        }
        byte[] framed = "x{\"name\":\"m\",\"time\":1,\"value\":1.5,\"labels\":{\"a\":\"1\"}}\n{".getBytes(
                StandardCharsets.UTF_8);
        ArchivedLine inside = scanner.scan(framed, 1, framed.length - 3);
        assertEquals(1.5, inside.value());
        assertEquals("1", inside.labels().get(0).getValue());
        assertNull(scanner.scan(framed, 1, framed.length - 4), "the line ends where it is told to");
    }

    /**
     * Lines whose labels object lost, gained or changed a byte or two, most of them JSON's own structure: the fast
     * path takes a line only when the JSON parser reads it, and reads it alike; labels of every length, so that
     * words of eight bytes end everywhere in them.
     */
    @Test
    void labelsChangedByteByByteAreTakenOnlyAsTheParserReadsThem() {
        Random random = new Random(13);
        SampleLineScanner scanner = new SampleLineScanner();
        byte[] odd = "\"{}:, a\\\u0001".getBytes(StandardCharsets.UTF_8);
        int taken = 0;
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            for (int l = random.nextInt(6); l > 0; l--) {
                names.add(word(random, 1 + random.nextInt(9)));
            }
            StringBuilder labels = new StringBuilder();
            for (String name : names) {
                labels.append(labels.isEmpty() ? "" : ",").append('"').append(name).append("\":\"")
                        .append(word(random, random.nextInt(20))).append('"');
            }
            String line = "{\"name\":\"m\",\"time\":1,\"value\":1.5,\"labels\":{" + labels + "}}";
            List<Byte> bytes = new ArrayList<>();
            for (byte b : line.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b);
            }
            int from = line.indexOf("\"labels\":{") + 10;
            for (int change = random.nextInt(3); change > 0; change--) {
                int at = from + random.nextInt(bytes.size() - from);
                switch (random.nextInt(3)) {
                    case 0 -> bytes.remove(at);
                    case 1 -> bytes.add(at, odd[random.nextInt(odd.length)]);
                    default -> bytes.set(at, odd[random.nextInt(odd.length)]);
                }
            }
            byte[] changed = new byte[bytes.size()];
            for (int b = 0; b < changed.length; b++) {
                changed[b] = bytes.get(b);
            }
            String text = new String(changed, StandardCharsets.UTF_8);
            ArchivedLine scanned = scanner.scan(changed, 0, changed.length);
            if (scanned == null) {
                refused++;
                continue;
            }
            taken++;
            assertSame(reader.parse(changed, 0, changed.length), scanned, text);
        }
        assertTrue(taken > 15_000 && refused > 15_000, "taken " + taken + ", refused " + refused);
    }

    private static String word(Random random, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    @Test
    void aLineOfAKnownSeriesIsTakenAsTheWalkTakesIt() {
        Random random = new Random(11);
        SampleLineScanner walked = new SampleLineScanner();
        SampleLineScanner compared = new SampleLineScanner();
        List<String> seriesTexts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // series of one name with labels of one length: told apart by their bytes only
            String labels = "\"__name__\":\"m" + i % 7 + "\"" + (i % 3 == 0 ? "" : ",\"a\":\"v" + random.nextInt(10)
                    + "\"");
            seriesTexts.add(labels);
        }
        int same = 0;
        for (int i = 0; i < 20_000; i++) {
            String labels = seriesTexts.get(random.nextInt(seriesTexts.size()));
            String name = labels.substring(12, labels.indexOf('"', 12));
            String value = random.nextInt(10) == 0 ? "\"NaN\",\"stale\":true" : random.nextInt(10) == 0 ? "1.50"
                    : String.valueOf(random.nextDouble());
            String line = "{\"name\":\"" + name + "\",\"time\":" + random.nextInt(1_000_000) + ",\"value\":" + value
                    + (random.nextInt(20) == 0 ? ",\"created\":5" : "") + ",\"labels\":{" + labels + "}}"
                    + (random.nextInt(50) == 0 ? " " : "");
            String known = seriesTexts.get(random.nextInt(seriesTexts.size()));
            String knownName = known.substring(12, known.indexOf('"', 12));
            byte[] series = (knownName + known).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            boolean walks = walked.parts(bytes, 0, bytes.length);
            boolean ofSeries = walks && Arrays.equals(bytes, walked.nameStart(), walked.nameEnd(), series, 0,
                    knownName.length()) && Arrays.equals(bytes, walked.labelsStart(), walked.labelsEnd(), series,
                    knownName.length(), series.length);
            assertEquals(ofSeries, compared.partsOfSeries(bytes, 0, bytes.length, series, knownName.length(),
                    series.length), line + " of " + known);
            if (ofSeries) {
                same++;
                assertEquals(walked.time(), compared.time());
                assertEquals(Double.doubleToRawLongBits(walked.sampleValue()),
                        Double.doubleToRawLongBits(compared.sampleValue()));
                assertEquals(walked.asWritten(), compared.asWritten(), line);
                assertEquals(walked.labelsStart(), compared.labelsStart());
                assertEquals(walked.labelsEnd(), compared.labelsEnd());
            }
        }
        assertTrue(same > 400, "lines of the known series: " + same);
    }

    /** Printable ASCII of any length, now and then with a character the writer escapes or writes as UTF-8. */
    private static String anyText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            char c = (char) (' ' + random.nextInt(95));
            text.append(c == '"' || c == '\\' ? 'x' : c);
        }
        if (random.nextInt(10) == 0) {
            char[] odd = {'"', '\\', '\n', '\u0001', '\u00e9', '\u007f', '\u65e5'};
            text.insert(random.nextInt(text.length() + 1), odd[random.nextInt(odd.length)]);
        }
        return text.toString();
    }

    static double anyValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Double.longBitsToDouble(random.nextLong());
            case 1 -> random.nextInt(1_000_000);
            case 2 -> random.nextInt(100_000) / 1000.0;
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 4 -> Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
            case 5 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, 9007199254740993.0}[random.nextInt(8)];
            case 6 -> -random.nextInt(1000) * 1e-3;
            default -> Math.scalb(random.nextDouble(), random.nextInt(200) - 100);
        };
    }

    private static void assertSame(ArchivedLine expected, ArchivedLine actual, String line) {
        assertEquals(expected.kind(), actual.kind(), line);
        assertEquals(expected.name(), actual.name(), line);
        assertEquals(expected.time(), actual.time(), line);
        assertEquals(Double.doubleToRawLongBits(expected.value()), Double.doubleToRawLongBits(actual.value()), line);
        assertEquals(expected.labels(), actual.labels(), line);
        assertEquals(expected.series(), actual.series(), line);
        assertEquals(expected.series().hashCode(), actual.series().hashCode(), line);
    }

    private ArchivedLine read(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return reader.read(bytes, 0, bytes.length);
    }

    private String refused(String line) {
        return assertThrows(IllegalArgumentException.class, () -> read(line)).getMessage();
    }
}
