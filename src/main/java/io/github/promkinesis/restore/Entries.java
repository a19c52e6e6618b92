package io.github.promkinesis.restore;

import com.google.protobuf.CodedInputStream;
import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.lines.SeriesKey;
import io.github.promkinesis.protocol.SeriesLabels;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Archive lines in the order of their sort keys, one at a time: a run in memory, a run on disk, or several
 * merged. An entry is a key (see {@link SortOrder}) and the line's bytes, or the series the order step made of it
 * ({@link #line}), both in {@link #array()}, valid until {@link #next()}.
 */
public interface Entries extends AutoCloseable {

    boolean next() throws IOException;

    byte[] array();

    int keyOffset();

    int keyLength();

    int lineOffset();

    int lineLength();

    @Override
    default void close() throws IOException {
    }

    /** Entry layout in a buffer: key length (2 bytes), line length (4), key, line; as in memory, so on disk. */
    static int put(byte[] to, int at, byte[] key, int keyOffset, int keyLength, byte[] line, int lineOffset,
                   int lineLength) {
        header(to, at, keyLength, lineLength);
        System.arraycopy(key, keyOffset, to, at + HEADER, keyLength);
        System.arraycopy(line, lineOffset, to, at + HEADER + keyLength, lineLength);
        return at + HEADER + keyLength + lineLength;
    }

    int HEADER = 6;

    /** An entry's header: its key's and its line's lengths. */
    static void header(byte[] to, int at, int keyLength, int lineLength) {
        to[at] = (byte) (keyLength >>> 8);
        to[at + 1] = (byte) keyLength;
        to[at + 2] = (byte) (lineLength >>> 24);
        to[at + 3] = (byte) (lineLength >>> 16);
        to[at + 4] = (byte) (lineLength >>> 8);
        to[at + 5] = (byte) lineLength;
    }

    static int keyLength(byte[] from, int at) {
        return (from[at] & 0xff) << 8 | from[at + 1] & 0xff;
    }

    static int lineLength(byte[] from, int at) {
        return (from[at + 2] & 0xff) << 24 | (from[at + 3] & 0xff) << 16 | (from[at + 4] & 0xff) << 8
                | from[at + 5] & 0xff;
    }

    /**
     * Key order, bytes compared unsigned; equal keys by their lines, so the order is the same on every run, however
     * the lines fell into runs (a checkpoint counts lines at one time).
     */
    static int compare(Entries a, Entries b) {
        int byKey = Arrays.compareUnsigned(a.array(), a.keyOffset(), a.keyOffset() + a.keyLength(),
                b.array(), b.keyOffset(), b.keyOffset() + b.keyLength());
        return byKey != 0 ? byKey : Arrays.compareUnsigned(a.array(), a.lineOffset(), a.lineOffset() + a.lineLength(),
                b.array(), b.lineOffset(), b.lineOffset() + b.lineLength());
    }

    /**
     * A key's first 8 bytes (big-endian, zeros past its end) as a number that compares, unsigned, as the bytes do:
     * with {@link #next4}, what decides most comparisons without comparing bytes.
     */
    static long first8(byte[] key, int offset, int length) {
        return (long) four(key, offset, length, 0) << 32 | four(key, offset, length, 4) & 0xffffffffL;
    }

    /** The key's bytes 8 to 11, the same way. */
    static int next4(byte[] key, int offset, int length) {
        return four(key, offset, length, 8);
    }

    private static int four(byte[] key, int offset, int length, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            value = value << 8 | (i < length ? key[offset + i] & 0xff : 0);
        }
        return value;
    }

    /**
     * What an entry holds, read: its line (JSON), or the protobuf TimeSeries the order step made of a float
     * sample (its first byte is never a line's '{').
     */
    static ArchivedLine line(JsonLineReader reader, byte[] array, int offset, int length) {
        if (array[offset] == '{') {
            return reader.read(array, offset, length);
        }
        try {
            TimeSeries series = TimeSeries.parseFrom(CodedInputStream.newInstance(array, offset, length));
            List<Label> labels = series.getLabelsList();
            Sample sample = series.getSamples(0);
            return new ArchivedLine(ArchivedLine.Kind.SAMPLE, SeriesLabels.value(labels, SeriesLabels.METRIC_NAME),
                    sample.getTimestamp(), sample.getValue(), labels, SeriesKey.of(labels), List.of(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("a sorted run is damaged", e);
        }
    }

    /** Entries read from a buffer of the layout above: {@code at} is where the current one starts. */
    abstract class InBuffer implements Entries {

        protected byte[] buffer;
        protected int at;

        @Override
        public byte[] array() {
            return buffer;
        }

        @Override
        public int keyOffset() {
            return at + HEADER;
        }

        @Override
        public int keyLength() {
            return Entries.keyLength(buffer, at);
        }

        @Override
        public int lineOffset() {
            return at + HEADER + keyLength();
        }

        @Override
        public int lineLength() {
            return Entries.lineLength(buffer, at);
        }
    }
}
