package io.github.promkinesis.compact;

import org.apache.parquet.io.api.Binary;

/**
 * One row of a compacted day (docs/format.md, "Compacted days"): a float sample as the Glue table's columns,
 * or any other line (native histogram, exemplar, metadata) as its kind and its exact JSON. A float line that its
 * columns would not write back byte for byte (a created time, labels out of order) keeps its JSON too. Text
 * columns are UTF-8 binaries, the same objects from row to row of one series, so a series is encoded once.
 * Reused from row to row: valid until the next.
 */
public final class CompactedRow {

    public Binary name;
    public long time;
    /** Whether {@link #value} is set: float samples only. */
    public boolean hasValue;
    public double value;
    public boolean stale;
    /** The series' labels, sorted by name: the first labelCount of each; none for metadata, which has none. */
    public Binary[] labelNames = new Binary[0];
    public Binary[] labelValues = new Binary[0];
    public int labelCount;
    public long seriesId;
    /** null for a float sample; "histogram", "exemplar" or "metadata". */
    public Binary kind;
    /** The line's exact JSON without its newline, or null: lineLength bytes of line from lineOffset. */
    public byte[] line;
    public int lineOffset;
    public int lineLength;
}
