package io.github.promkinesis.encoding;

import java.nio.ByteBuffer;

/**
 * The JSON lines of one request, back to back in one buffer (no object per sample), with where each line ends
 * and which series it came from, so records can be cut from the buffer and keyed by series or metric.
 */
public final class JsonLines {

    private final byte[] bytes;
    private final int[] ends;
    private final int[] seriesOfLine;
    private final String[] metricNames;
    private final int[] labelsStart;
    private final int[] labelsEnd;
    private final int size;

    JsonLines(byte[] bytes, int[] ends, int[] seriesOfLine, String[] metricNames, int[] labelsStart, int[] labelsEnd,
              int size) {
        this.bytes = bytes;
        this.ends = ends;
        this.seriesOfLine = seriesOfLine;
        this.metricNames = metricNames;
        this.labelsStart = labelsStart;
        this.labelsEnd = labelsEnd;
        this.size = size;
    }

    /** The number of lines, one per sample. */
    public int size() {
        return size;
    }

    public int start(int line) {
        return line == 0 ? 0 : ends[line - 1];
    }

    public int end(int line) {
        return ends[line];
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
        return ByteBuffer.wrap(bytes, labelsStart[series], labelsEnd[series] - labelsStart[series]).slice();
    }

    public int series(int line) {
        return seriesOfLine[line];
    }
}
