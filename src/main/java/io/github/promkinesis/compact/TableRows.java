package io.github.promkinesis.compact;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.ByteSink;
import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.TableRowToJsonLine;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.restore.Entries;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code to-rows} step: each merged line (every line of the day once, by metric name, series and time) as a
 * row of the compacted table ({@link CompactedRow}). A float sample becomes columns, and keeps its JSON only when
 * the columns would not write it back byte for byte ({@link TableRowToJsonLine}, what restore reads a row with);
 * every other line keeps its JSON beside its kind, name, time and labels. Nothing is lost either way.
 */
public final class TableRows {

    private final CompactStats stats;

    TableRows(CompactStats stats) {
        this.stats = stats;
    }

    public Rows rows(Entries merged) {
        return new Rows(merged, stats);
    }

    /** The rows, pulled one at a time; the row is reused. */
    public static final class Rows implements AutoCloseable {
        private final Entries merged;
        private final CompactStats stats;
        private final JsonLineReader reader = new JsonLineReader();
        private final ByteSink rebuilt = new ByteSink(1024);
        private final CompactedRow row = new CompactedRow();

        Rows(Entries merged, CompactStats stats) {
            this.merged = merged;
            this.stats = stats;
        }

        /** The next row, or null after the last. */
        public CompactedRow next() throws IOException {
            if (!merged.next()) {
                return null;
            }
            byte[] array = merged.array();
            int offset = merged.lineOffset();
            int length = merged.lineLength();
            ArchivedLine line = Entries.line(reader, array, offset, length);
            row.name = line.name();
            row.time = line.time();
            row.labels = line.labels() == null ? java.util.List.of() : line.labels();
            row.seriesId = line.series() == null ? 0 : Integer.toUnsignedLong(line.series().hashCode());
            row.hasValue = line.kind() == ArchivedLine.Kind.SAMPLE;
            row.value = row.hasValue ? line.value() : 0;
            row.stale = row.hasValue && Double.doubleToRawLongBits(line.value()) == JsonLineWriter.STALE_NAN_BITS;
            row.kind = row.hasValue ? null : line.kind().name().toLowerCase(Locale.ROOT);
            boolean columnsSay = row.hasValue && rebuildsTo(array, offset, length);
            row.line = columnsSay ? null : array;
            row.lineOffset = offset;
            row.lineLength = length;
            if (row.hasValue) {
                stats.floatSamples.increment();
                if (!columnsSay) {
                    stats.floatLinesKept.increment();
                }
            } else {
                stats.otherLines.increment();
            }
            return row;
        }

        /** Whether the row's columns, read back as restore reads them, give exactly this line. */
        private boolean rebuildsTo(byte[] array, int offset, int length) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (Label label : row.labels) {
                labels.put(label.getName(), label.getValue());
            }
            rebuilt.clear();
            TableRowToJsonLine.write(new TableRowToJsonLine.Row(row.name, row.time, TableRowToJsonLine.text(row.value),
                    row.stale, 0, labels, null, null, null), rebuilt);
            return rebuilt.length() == length + 1
                    && Arrays.equals(rebuilt.array(), 0, length, array, offset, offset + length);
        }

        @Override
        public void close() throws IOException {
            merged.close();
        }
    }
}
