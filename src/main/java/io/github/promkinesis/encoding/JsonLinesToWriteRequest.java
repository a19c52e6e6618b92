package io.github.promkinesis.encoding;

import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.util.Arrays;

/**
 * The archive's JSON lines back into a remote-write 1.0 request, {@code prometheus.WriteRequest} in protobuf: the
 * mirror of {@link WriteRequestToJsonLines}. A series per line, as Prometheus' own remote write sends a series
 * per sample; metadata lines as the request's metadata. A float sample in the writer's own shape, nearly every
 * line, is written from its bytes in place (its strings are printable ASCII, the same bytes in UTF-8), with no
 * message object per label or sample; every other line goes through {@link JsonLineReader} and protobuf's
 * classes. Not thread-safe: one per sending thread.
 */
public final class JsonLinesToWriteRequest {

    /** WriteRequest's fields, TimeSeries' and Label's, and Sample's, as tags (field number and wire type). */
    private static final int TIMESERIES = 1 << 3 | 2;
    private static final int METADATA = 3 << 3 | 2;
    private static final int LABELS = 1 << 3 | 2;
    private static final int SAMPLES = 2 << 3 | 2;
    private static final int LABEL_NAME = 1 << 3 | 2;
    private static final int LABEL_VALUE = 2 << 3 | 2;
    private static final int SAMPLE_VALUE = 1 << 3 | 1;
    private static final int SAMPLE_TIMESTAMP = 2 << 3;

    private final SampleLineScanner samples = new SampleLineScanner();
    private final JsonLineReader reader = new JsonLineReader();
    private byte[] out = new byte[1 << 16];
    private int size;

    /** Starts a new request. */
    public void clear() {
        size = 0;
    }

    /** Adds a line (without its newline), read before and known to be readable. */
    public void add(byte[] line, int offset, int length) {
        if (samples.parts(line, offset, length)) {
            addSample();
            return;
        }
        ArchivedLine read = reader.read(line, offset, length);
        if (read.kind() == ArchivedLine.Kind.METADATA) {
            addMessage(METADATA, read.metadata().toByteArray());
            return;
        }
        TimeSeries.Builder series = TimeSeries.newBuilder().addAllLabels(read.labels());
        switch (read.kind()) {
            case SAMPLE -> series.addSamples(Sample.newBuilder().setValue(read.value()).setTimestamp(read.time()));
            case EXEMPLAR -> series.addExemplars(Exemplar.newBuilder().addAllLabels(read.exemplarLabels())
                    .setValue(read.value()).setTimestamp(read.time()));
            case HISTOGRAM -> series.addHistograms(read.histogram());
            case METADATA -> throw new IllegalStateException("metadata has no series");
        }
        addMessage(TIMESERIES, series.build().toByteArray());
    }

    /** The request's bytes. */
    public byte[] request() {
        return Arrays.copyOf(out, size);
    }

    /** The line the scanner just walked, as a TimeSeries of its labels and its one sample. */
    private void addSample() {
        byte[] line = samples.line();
        int labelsSize = 0;
        for (int i = 0; i < samples.labelCount(); i++) {
            int label = labelSize(i);
            labelsSize += 1 + varintSize(label) + label;
        }
        int sampleSize = 1 + 8 + 1 + varintSize(samples.time());
        int seriesSize = labelsSize + 1 + varintSize(sampleSize) + sampleSize;
        ensure(1 + 5 + seriesSize);
        out[size++] = TIMESERIES;
        varint(seriesSize);
        for (int i = 0; i < samples.labelCount(); i++) {
            out[size++] = LABELS;
            varint(labelSize(i));
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

    private int labelSize(int label) {
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

    private void addMessage(int tag, byte[] message) {
        ensure(1 + 5 + message.length);
        out[size++] = (byte) tag;
        varint(message.length);
        System.arraycopy(message, 0, out, size, message.length);
        size += message.length;
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
