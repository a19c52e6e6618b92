package io.github.promkinesis.compact;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.ByteSink;
import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.SampleLineScanner;
import io.github.promkinesis.lines.TableRowToJsonLine;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.restore.Entries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.io.api.Binary;

/**
 * The {@code to-rows} step: each merged line (every line of the day once, by metric name, series and time) as a
 * row of the compacted table ({@link CompactedRow}). A float sample becomes columns, and keeps its JSON only when
 * the columns would not write it back byte for byte ({@link TableRowToJsonLine}, what restore reads a row with);
 * every other line keeps its JSON beside its kind, name, time and labels. Nothing is lost either way. A float
 * sample in the writer's own shape, nearly every line, is read in place ({@link SampleLineScanner}), its series'
 * columns made once for its run of rows.
 */
public final class TableRows {

    private static final Map<ArchivedLine.Kind, Binary> KINDS = new EnumMap<>(ArchivedLine.Kind.class);

    static {
        for (ArchivedLine.Kind kind : ArchivedLine.Kind.values()) {
            KINDS.put(kind, binary(kind.name().toLowerCase(Locale.ROOT)));
        }
    }

    private final CompactStats stats;

    TableRows(CompactStats stats) {
        this.stats = stats;
    }

    /** On a byte array, as the scanned rows' are: Binary.fromString's is on a ByteBuffer, compared byte by byte. */
    private static Binary binary(String text) {
        return Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
    }

    public Rows rows(Entries merged) {
        return new Rows(merged, stats);
    }

    /** The rows, pulled one at a time; the row is reused. */
    public static final class Rows implements AutoCloseable {
        private final Entries merged;
        private final CompactStats stats;
        private final SampleLineScanner scanner = new SampleLineScanner();
        private final JsonLineReader reader = new JsonLineReader();
        private final ByteSink rebuilt = new ByteSink(1024);
        private final CompactedRow row = new CompactedRow();
        /** The last scanned series' name and labels as its line wrote them, back to back; -1: none. */
        private byte[] series = new byte[256];
        private int seriesNameLength = -1;
        private int seriesLength;
        /** The last line read whole: its series, and its columns. */
        private String readName;
        private List<Label> readLabels;
        private Binary readNameBinary;
        private Binary[] readLabelNames;
        private Binary[] readLabelValues;

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
            row.line = array;
            row.lineOffset = offset;
            row.lineLength = length;
            // a series' rows come together: its next line's labels compared with the last's, not walked again
            boolean same = seriesNameLength >= 0
                    && scanner.partsOfSeries(array, offset, length, series, seriesNameLength, seriesLength);
            boolean scanned = same || array[offset] == '{' && scanner.parts(array, offset, length);
            ArchivedLine line = scanned ? null : Entries.line(reader, array, offset, length);
            if (scanned) {
                row.kind = null;
                row.time = scanner.time();
                row.hasValue = true;
                row.value = scanner.sampleValue();
                if (!same) { // not the last series' line: partsOfSeries would have taken it
                    scannedSeries();
                }
            } else {
                row.time = line.time();
                row.hasValue = line.kind() == ArchivedLine.Kind.SAMPLE;
                row.value = row.hasValue ? line.value() : 0;
                row.kind = row.hasValue ? null : KINDS.get(line.kind());
                readSeries(line);
            }
            row.stale = row.hasValue && Double.doubleToRawLongBits(row.value) == JsonLineWriter.STALE_NAN_BITS;
            boolean columnsSay = scanned ? scanner.asWritten() : row.hasValue && rebuildsTo(line, array, offset, length);
            if (columnsSay) {
                row.line = null;
            }
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

        /** The scanned line's series as the row's name, labels and id, on bytes of their own. */
        private void scannedSeries() {
            byte[] line = scanner.line();
            int nameLength = scanner.nameEnd() - scanner.nameStart();
            int labelsLength = scanner.labelsEnd() - scanner.labelsStart();
            series = new byte[nameLength + labelsLength]; // the binaries keep it: a dictionary may hold them
            System.arraycopy(line, scanner.nameStart(), series, 0, nameLength);
            System.arraycopy(line, scanner.labelsStart(), series, nameLength, labelsLength);
            seriesNameLength = nameLength;
            seriesLength = series.length;
            row.name = Binary.fromConstantByteArray(series, 0, nameLength);
            int count = scanner.labelCount();
            labels(count);
            int shift = nameLength - scanner.labelsStart();
            for (int i = 0; i < count; i++) {
                row.labelNames[i] = Binary.fromConstantByteArray(series, scanner.start(i, 0) + shift,
                        scanner.end(i, 0) - scanner.start(i, 0));
                row.labelValues[i] = Binary.fromConstantByteArray(series, scanner.start(i, 1) + shift,
                        scanner.end(i, 1) - scanner.start(i, 1));
            }
            row.seriesId = Integer.toUnsignedLong(scanner.labelsHash());
        }

        /**
         * A line read whole: its series as the row's, and no longer the scanned series'. The previous read line's
         * binaries when the series is the same: the writer's dictionaries know a series' rows by its objects.
         */
        private void readSeries(ArchivedLine line) {
            seriesNameLength = -1;
            List<Label> labels = line.labels() == null ? List.of() : line.labels();
            if (!line.name().equals(readName) || !labels.equals(readLabels)) {
                readName = line.name();
                readLabels = labels;
                readNameBinary = binary(readName);
                readLabelNames = new Binary[labels.size()];
                readLabelValues = new Binary[labels.size()];
                for (int i = 0; i < labels.size(); i++) {
                    readLabelNames[i] = binary(labels.get(i).getName());
                    readLabelValues[i] = binary(labels.get(i).getValue());
                }
            }
            row.name = readNameBinary;
            labels(labels.size());
            System.arraycopy(readLabelNames, 0, row.labelNames, 0, labels.size());
            System.arraycopy(readLabelValues, 0, row.labelValues, 0, labels.size());
            row.seriesId = line.series() == null ? 0 : Integer.toUnsignedLong(line.series().hashCode());
        }

        private void labels(int count) {
            if (row.labelNames.length < count) {
                row.labelNames = new Binary[count];
                row.labelValues = new Binary[count];
            }
            row.labelCount = count;
        }

        /** Whether the row's columns, read back as restore reads them, give exactly this line. */
        private boolean rebuildsTo(ArchivedLine line, byte[] array, int offset, int length) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (Label label : line.labels()) {
                labels.put(label.getName(), label.getValue());
            }
            rebuilt.clear();
            TableRowToJsonLine.write(new TableRowToJsonLine.Row(line.name(), row.time,
                    TableRowToJsonLine.text(row.value), row.stale, 0, labels, null, null, null), rebuilt);
            return rebuilt.length() == length + 1
                    && Arrays.equals(rebuilt.array(), 0, length, array, offset, offset + length);
        }

        @Override
        public void close() throws IOException {
            merged.close();
        }
    }
}
