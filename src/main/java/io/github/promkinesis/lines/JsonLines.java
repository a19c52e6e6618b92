package io.github.promkinesis.lines;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The JSON lines of one request, back to back in one buffer (no object per line), with where each line ends,
 * what kind it is and which series it came from, so records can be cut from the buffer, keyed by series or
 * metric, and counted by kind.
 */
public final class JsonLines {

    public static final byte SAMPLE = 0;
    public static final byte HISTOGRAM = 1;
    public static final byte EXEMPLAR = 2;
    public static final byte METADATA = 3;

    private final byte[] bytes;
    private final int[] ends;
    private final int[] seriesOfLine;
    private final byte[] kinds;
    private final String[] metricNames;
    private final int[] labelsStart;
    private final int[] labelsEnd;
    private final int size;

    private JsonLines(Builder built) {
        this.bytes = built.sink.array();
        this.ends = built.ends;
        this.seriesOfLine = built.seriesOfLine;
        this.kinds = built.kinds;
        this.metricNames = built.metricNames;
        this.labelsStart = built.labelsStart;
        this.labelsEnd = built.labelsEnd;
        this.size = built.size;
    }

    /** The number of lines. */
    public int size() {
        return size;
    }

    public int start(int line) {
        return line == 0 ? 0 : ends[line - 1];
    }

    public int end(int line) {
        return ends[line];
    }

    /** SAMPLE, HISTOGRAM, EXEMPLAR or METADATA. */
    public byte kind(int line) {
        return kinds[line];
    }

    /** Lines first to last (exclusive) as one view of the buffer, no copy. */
    public ByteBuffer slice(int first, int last) {
        return ByteBuffer.wrap(bytes, start(first), end(last - 1) - start(first)).slice();
    }

    /** Appends line to a record being packed. */
    public void copyTo(int line, ByteSink sink) {
        sink.write(bytes, start(line), end(line) - start(line));
    }

    public String metricName(int line) {
        return metricNames[seriesOfLine[line]];
    }

    /** The series' labels as written in its lines (escaped JSON members, in the order the sender sorted them). */
    public ByteBuffer seriesLabels(int line) {
        int series = seriesOfLine[line];
        if (labelsStart[series] < 0) {
            return ByteBuffer.allocate(0); // metadata lines have no labels
        }
        return ByteBuffer.wrap(bytes, labelsStart[series], labelsEnd[series] - labelsStart[series]).slice();
    }

    public int series(int line) {
        return seriesOfLine[line];
    }

    /** Collects lines as they are written into its buffer. */
    static final class Builder {
        private final ByteSink sink;
        private final int[] ends;
        private final int[] seriesOfLine;
        private final byte[] kinds;
        private final String[] metricNames;
        private final int[] labelsStart;
        private final int[] labelsEnd;
        private int size;

        /** Room for expectedBytes of lines at first; longer ones grow it. */
        Builder(int lines, int series, int expectedBytes) {
            sink = new ByteSink(expectedBytes);
            ends = new int[lines];
            seriesOfLine = new int[lines];
            kinds = new byte[lines];
            metricNames = new String[series];
            labelsStart = new int[series];
            labelsEnd = new int[series];
            Arrays.fill(labelsStart, -1);
        }

        ByteSink bytes() {
            return sink;
        }

        void series(int series, String metricName) {
            metricNames[series] = metricName;
        }

        boolean hasLabels(int series) {
            return labelsStart[series] >= 0;
        }

        void labels(int series, int start, int end) {
            labelsStart[series] = start;
            labelsEnd[series] = end;
        }

        void copyLabels(int series) {
            sink.copyOwn(labelsStart[series], labelsEnd[series]);
        }

        /** The line being written ends here. */
        void ended(int series, byte kind) {
            ends[size] = sink.length();
            seriesOfLine[size] = series;
            kinds[size++] = kind;
        }

        JsonLines build() {
            return new JsonLines(this);
        }
    }
}
