package io.github.promkinesis.lines;

import java.util.Arrays;

/**
 * Protobuf bytes written in place: a {@code prometheus.TimeSeries} of one float sample from a line the scanner
 * walked (its strings are printable ASCII, the same bytes in UTF-8), with no message object per label or sample,
 * and whatever else a request holds, behind a tag. Reused: {@link #clear()} starts again.
 */
final class SeriesProtobuf {

    /** TimeSeries' labels and samples, Label's name and value, Sample's value and timestamp, as tags. */
    private static final int LABELS = 1 << 3 | 2;
    private static final int SAMPLES = 2 << 3 | 2;
    private static final int LABEL_NAME = 1 << 3 | 2;
    private static final int LABEL_VALUE = 2 << 3 | 2;
    private static final int SAMPLE_VALUE = 1 << 3 | 1;
    private static final int SAMPLE_TIMESTAMP = 2 << 3;

    byte[] out = new byte[1 << 16];
    int size;

    void clear() {
        size = 0;
    }

    /** The TimeSeries of the line the scanner just walked: its labels and its one sample. */
    void series(SampleLineScanner samples) {
        byte[] line = samples.line();
        int sampleSize = 1 + 8 + 1 + varintSize(samples.time());
        int seriesSize = 1 + varintSize(sampleSize) + sampleSize;
        for (int i = 0; i < samples.labelCount(); i++) {
            int label = labelSize(samples, i);
            seriesSize += 1 + varintSize(label) + label;
        }
        ensure(seriesSize);
        for (int i = 0; i < samples.labelCount(); i++) {
            out[size++] = LABELS;
            varint(labelSize(samples, i));
            string(LABEL_NAME, line, samples.start(i, 0), samples.end(i, 0));
            string(LABEL_VALUE, line, samples.start(i, 1), samples.end(i, 1));
        }
        out[size++] = SAMPLES;
        varint(sampleSize);
        out[size++] = SAMPLE_VALUE;
        long bits = Double.doubleToRawLongBits(samples.sampleValue());
        for (int i = 0; i < 8; i++) {
            out[size++] = (byte) (bits >>> 8 * i); // fixed64 is little-endian
        }
        out[size++] = SAMPLE_TIMESTAMP;
        varint(samples.time());
    }

    /** A message behind its tag (a length-delimited field). */
    void message(int tag, byte[] message, int offset, int length) {
        ensure(1 + 5 + length);
        out[size++] = (byte) tag;
        varint(length);
        System.arraycopy(message, offset, out, size, length);
        size += length;
    }

    private static int labelSize(SampleLineScanner samples, int label) {
        int name = samples.end(label, 0) - samples.start(label, 0);
        int value = samples.end(label, 1) - samples.start(label, 1);
        return 1 + varintSize(name) + name + 1 + varintSize(value) + value;
    }

    private void string(int tag, byte[] line, int from, int to) {
        out[size++] = (byte) tag;
        varint(to - from);
        System.arraycopy(line, from, out, size, to - from);
        size += to - from;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out[size++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        out[size++] = (byte) value;
    }

    private static int varintSize(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            bytes++;
            value >>>= 7;
        }
        return bytes;
    }
}
