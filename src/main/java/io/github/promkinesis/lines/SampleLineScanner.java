package io.github.promkinesis.lines;

// the writer's own literals: the shape read is the shape written
import static io.github.promkinesis.lines.JsonLineWriter.CREATED;
import static io.github.promkinesis.lines.JsonLineWriter.LABELS;
import static io.github.promkinesis.lines.JsonLineWriter.NAME;
import static io.github.promkinesis.lines.JsonLineWriter.STALE;
import static io.github.promkinesis.lines.JsonLineWriter.TIME;
import static io.github.promkinesis.lines.JsonLineWriter.VALUE;

import com.google.protobuf.ByteString;
import io.github.promkinesis.protocol.prompb.Label;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link JsonLineReader}: the line the archive holds most, a float sample exactly as
 * {@link JsonLineWriter} writes it, {"name":..,"time":..,"value":..[,"stale":true][,"created":..],
 * "labels":{..}} with labels sorted by name and strings of printable ASCII without escapes. It reads bytes in
 * place, without a JSON parser or a String per label, and keeps the labels of recently seen series, so a series'
 * next line builds none. Any other line, or anything unexpected, is null: the general reader then reads it and
 * names what is wrong, so both paths give the same result for the lines this one takes. One per reading thread.
 */
public final class SampleLineScanner {

    private static final double STALE_NAN = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
    private static final long NO_NUMBER = Long.MIN_VALUE;
    /** Doubles up to 2^53 are exact, as are 10^0..10^22: one multiplication or division rounds correctly. */
    private static final long EXACT_MANTISSA = 1L << 53;
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
    /** Bytes under 0x20 are control characters, which the writer escapes. */
    private static final long CONTROL = 0x2020202020202020L;
    /** Series whose labels are kept, by their hash: ~1.5 KB each with 10 labels. */
    private static final int RECENT_SERIES = 4096;

    private final Series[] recent = new Series[RECENT_SERIES];
    /** Start and end of each label name and value in the line being read. */
    private int[] bounds = new int[64];
    private byte[] line;
    private int at;
    private int end;
    /** What walk found: the line's parts. */
    private int nameStart;
    private int nameEnd;
    private int timeStart;
    private long time;
    private int valueStart;
    private int valueEnd;
    private double value;
    private boolean created;
    private int labelsStart;
    private int labelsEnd;
    private int count;
    private int hash;
    /** What {@link #asWritten()} writes the value into, to compare. */
    private final ByteSink written = new ByteSink(32);

    ArchivedLine scan(byte[] bytes, int offset, int length) {
        if (!key(bytes, offset, length)) {
            return null;
        }
        String name = new String(bytes, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
        int slot = hash & (RECENT_SERIES - 1);
        Series series = recent[slot];
        if (series == null || !Arrays.equals(series.text, 0, series.text.length, line, labelsStart, labelsEnd)) {
            List<Label> labels = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                labels.add(Label.newBuilder().setNameBytes(text(4 * i)).setValueBytes(text(4 * i + 2)).build());
            }
            series = new Series(Arrays.copyOfRange(line, labelsStart, labelsEnd), labels, SeriesKey.of(labels));
            recent[slot] = series;
        }
        return new ArchivedLine(ArchivedLine.Kind.SAMPLE, name, time, value, series.labels, series.key, List.of(),
                null, null);
    }

    /**
     * Whether the line is in the writer's shape, building nothing; then {@link #time()} and {@link #hash()} are
     * its time and its {@link SeriesKey#hashCode()} until the next line.
     */
    boolean key(byte[] bytes, int offset, int length) {
        if (!walk(bytes, offset, length)) {
            return false;
        }
        hash = labelsHash();
        return true;
    }

    /** Whether the line is in the writer's shape, its parts noted but its series not hashed: for writing it out. */
    public boolean parts(byte[] bytes, int offset, int length) {
        return walk(bytes, offset, length);
    }

    /**
     * {@link #parts} for a line thought to be of a known series, its name and labels object (without braces) given
     * back to back as the writer wrote them: true when it is that series' line in the writer's shape, its labels
     * compared, not walked. The label count and bounds stay those of the line that last gave them.
     */
    public boolean partsOfSeries(byte[] bytes, int offset, int length, byte[] series, int nameLength,
                                 int seriesLength) {
        line = bytes;
        at = offset;
        end = offset + length;
        if (!skip(NAME) || at + nameLength > end || !Arrays.equals(line, at, at + nameLength, series, 0, nameLength)) {
            return false;
        }
        nameStart = at;
        nameEnd = at + nameLength;
        at = nameEnd;
        int labelsLength = seriesLength - nameLength;
        if (!sample() || at + labelsLength + 2 != end
                || !Arrays.equals(line, at, at + labelsLength, series, nameLength, seriesLength)) {
            return false;
        }
        labelsStart = at;
        labelsEnd = at + labelsLength;
        return line[labelsEnd] == '}' && line[labelsEnd + 1] == '}';
    }

    public long time() {
        return time;
    }

    /** After {@link #parts}: the line's value, its bytes, its label count, and where label i's name and value are. */
    public double sampleValue() {
        return value;
    }

    public byte[] line() {
        return line;
    }

    public int labelCount() {
        return count;
    }

    /** Start and end of label i's name (part 0) or value (part 1) in {@link #line()}. */
    public int start(int label, int part) {
        return bounds[4 * label + 2 * part];
    }

    public int end(int label, int part) {
        return bounds[4 * label + 2 * part + 1];
    }

    /** The metric name's start and end in {@link #line()}. */
    public int nameStart() {
        return nameStart;
    }

    public int nameEnd() {
        return nameEnd;
    }

    /** The labels object's members, without its braces: equal for lines of one series. */
    public int labelsStart() {
        return labelsStart;
    }

    public int labelsEnd() {
        return labelsEnd;
    }

    int hash() {
        return hash;
    }

    /** After {@link #parts}: the series' {@link SeriesKey#hashCode()}, as {@link #key} finds it. */
    public int labelsHash() {
        int labelsHash = SeriesKey.EMPTY_HASH;
        for (int i = 0; i < count; i++) {
            labelsHash = SeriesKey.hash(SeriesKey.hash(labelsHash, line, bounds[4 * i], bounds[4 * i + 1]), line,
                    bounds[4 * i + 2], bounds[4 * i + 3]);
        }
        return labelsHash;
    }

    /**
     * After {@link #parts}: whether the line is byte for byte what the writer writes for its name, time, value,
     * staleness and labels, without a created time: then those alone give it back ({@link TableRowToJsonLine}).
     * A line of another writer may say the same sample otherwise (1.50 for 1.5, -0 for 0).
     */
    public boolean asWritten() {
        if (created || line[timeStart] == '-' && time == 0) {
            return false;
        }
        written.clear();
        JsonValues.writeDouble(written, value);
        return Arrays.equals(written.array(), 0, written.length(), line, valueStart, valueEnd);
    }

    /** Checks the line is in the writer's shape and notes where its parts are. */
    private boolean walk(byte[] bytes, int offset, int length) {
        line = bytes;
        at = offset;
        end = offset + length;
        if (!skip(NAME) || !string()) {
            return false;
        }
        nameStart = offset + NAME.length;
        nameEnd = at - 1;
        at = nameEnd;
        return sample() && labels();
    }

    /** From the name's closing quote (the writer's TIME begins with it) to the labels object's first member. */
    private boolean sample() {
        if (!skip(TIME)) {
            return false;
        }
        timeStart = at;
        time = whole();
        if (time == NO_NUMBER || !skip(VALUE)) {
            return false;
        }
        valueStart = at;
        value = value();
        if (at < 0) {
            return false;
        }
        valueEnd = at;
        if (skip(STALE)) {
            value = STALE_NAN;
        }
        created = skip(CREATED);
        return (!created || whole() != NO_NUMBER) && skip(LABELS);
    }

    /** The labels object up to the line's end, "}}": where each name and value is. */
    private boolean labels() {
        labelsStart = at;
        count = 0;
        if (at < end && line[at] != '}') {
            while (true) {
                if (at >= end || line[at] != '"') {
                    return false;
                }
                at++;
                int labelStart = at;
                if (!string() || at + 1 >= end || line[at] != ':' || line[at + 1] != '"') {
                    return false;
                }
                int labelEnd = at - 1;
                at += 2;
                int valueStart = at;
                if (!string()) {
                    return false;
                }
                if (count > 0 && !before(bounds[4 * count - 4], bounds[4 * count - 3], labelStart, labelEnd)) {
                    return false; // not sorted, or a name twice: the general reader decides
                }
                if (4 * count + 4 > bounds.length) {
                    bounds = Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[4 * count] = labelStart;
                bounds[4 * count + 1] = labelEnd;
                bounds[4 * count + 2] = valueStart;
                bounds[4 * count + 3] = at - 1;
                count++;
                if (at < end && line[at] == ',') {
                    at++;
                } else {
                    break;
                }
            }
        }
        labelsEnd = at;
        return at + 2 == end && line[at] == '}' && line[at + 1] == '}';
    }

    private ByteString text(int bound) {
        return ByteString.copyFrom(line, bounds[bound], bounds[bound + 1] - bounds[bound]);
    }

    /**
     * Whether the line's bytes [aStart, aEnd) sort before [bStart, bEnd), unsigned: label names differ in their
     * first bytes, so a loop here costs less than a call to Arrays.compareUnsigned.
     */
    private boolean before(int aStart, int aEnd, int bStart, int bEnd) {
        int length = Math.min(aEnd - aStart, bEnd - bStart);
        for (int i = 0; i < length; i++) {
            int a = line[aStart + i] & 0xff;
            int b = line[bStart + i] & 0xff;
            if (a != b) {
                return a < b;
            }
        }
        return aEnd - aStart < bEnd - bStart;
    }

    /** Past a string's closing quote; false for anything but printable ASCII (escapes, UTF-8, controls). */
    private boolean string() {
        int i = at;
        for (; i + 8 <= end; i += 8) { // eight bytes a step: the first that ends the walk decides
            long word = (long) WORDS.get(line, i);
            long stops = zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES)
                    | (word - CONTROL) & ~word & HIGH_BITS | word & HIGH_BITS;
            if (stops != 0) {
                i += Long.numberOfTrailingZeros(stops) / 8;
                if (line[i] == '"') {
                    at = i + 1;
                    return true;
                }
                return false;
            }
        }
        for (; i < end; i++) {
            byte b = line[i];
            if (b == '"') {
                at = i + 1;
                return true;
            }
            if (b < 0x20 || b == '\\') { // bytes of UTF-8 sequences are negative
                return false;
            }
        }
        return false;
    }

    /** The high bit of each zero byte of the word; of those above the lowest, some may be set wrongly. */
    private static long zeroBytes(long word) {
        return (word - LOW_BITS) & ~word & HIGH_BITS;
    }

    /** Past the literal if the line has it at {@code at}: its first eight bytes compared as one number. */
    private boolean skip(byte[] literal) {
        int length = literal.length;
        if (at + length > end) {
            return false;
        }
        int i = 0;
        if (length >= 8) {
            if ((long) WORDS.get(line, at) != (long) WORDS.get(literal, 0)) {
                return false;
            }
            i = 8;
        }
        for (; i < length; i++) {
            if (line[at + i] != literal[i]) {
                return false;
            }
        }
        at += length;
        return true;
    }

    /** A JSON integer of at most 18 digits, or NO_NUMBER. */
    private long whole() {
        boolean negative = at < end && line[at] == '-';
        int first = negative ? at + 1 : at;
        int i = first;
        long number = 0;
        while (i < end && line[i] >= '0' && line[i] <= '9') {
            number = number * 10 + line[i] - '0';
            i++;
        }
        int digits = i - first;
        if (digits == 0 || digits > 18 || digits > 1 && line[first] == '0'
                || i < end && (line[i] == '.' || line[i] == 'e' || line[i] == 'E')) {
            return NO_NUMBER;
        }
        at = i;
        return negative ? -number : number;
    }

    /**
     * A value as the writer writes it: a JSON number, "NaN", "+Inf" or "-Inf". Numbers whose digits fit 2^53
     * with a power of ten up to 22 are computed exactly; others go through Double.parseDouble, as the general
     * reader does. {@code at} is -1 when it is none of these.
     */
    private double value() {
        if (at >= end) {
            at = -1;
            return 0;
        }
        if (line[at] == '"') {
            double special = skip(JsonValues.NAN) ? Double.NaN
                    : skip(JsonValues.POSITIVE_INFINITY) ? Double.POSITIVE_INFINITY
                    : skip(JsonValues.NEGATIVE_INFINITY) ? Double.NEGATIVE_INFINITY : 0;
            if (special == 0) {
                at = -1;
            }
            return special;
        }
        int start = at;
        int i = at;
        boolean negative = line[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int intStart = i;
        while (i < end && line[i] >= '0' && line[i] <= '9') {
            mantissa = digits < 18 ? mantissa * 10 + line[i] - '0' : mantissa;
            digits++;
            i++;
        }
        if (i == intStart || i - intStart > 1 && line[intStart] == '0') {
            at = -1;
            return 0;
        }
        int exponent = 0;
        if (i < end && line[i] == '.') {
            int fractionStart = ++i;
            while (i < end && line[i] >= '0' && line[i] <= '9') {
                mantissa = digits < 18 ? mantissa * 10 + line[i] - '0' : mantissa;
                exponent -= digits < 18 ? 1 : 0;
                digits++;
                i++;
            }
            if (i == fractionStart) {
                at = -1;
                return 0;
            }
        }
        if (i < end && (line[i] == 'e' || line[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && line[i] == '-';
            if (i < end && (line[i] == '-' || line[i] == '+')) {
                i++;
            }
            int exponentStart = i;
            int written = 0;
            while (i < end && line[i] >= '0' && line[i] <= '9') {
                written = Math.min(written * 10 + line[i] - '0', 100_000);
                i++;
            }
            if (i == exponentStart) {
                at = -1;
                return 0;
            }
            exponent += negativeExponent ? -written : written;
        }
        at = i;
        double value;
        if (digits <= 18 && mantissa <= EXACT_MANTISSA && exponent >= -22 && exponent <= 22) {
            value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
            return negative ? -value : value;
        }
        return Double.parseDouble(new String(line, start, i - start, StandardCharsets.ISO_8859_1));
    }

    /** A series' labels as written in the line, and as read. */
    private record Series(byte[] text, List<Label> labels, SeriesKey key) {
    }
}
