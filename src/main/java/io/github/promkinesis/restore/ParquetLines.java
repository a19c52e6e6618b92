package io.github.promkinesis.restore;

import io.github.promkinesis.parquet.ParquetFile;
import io.github.promkinesis.lines.ByteSink;
import io.github.promkinesis.lines.TableRowToJsonLine.Row;
import io.github.promkinesis.lines.TableRowToJsonLine.RowBucket;
import io.github.promkinesis.lines.TableRowToJsonLine.RowExemplar;
import io.github.promkinesis.lines.TableRowToJsonLine.RowHistogram;
import io.github.promkinesis.lines.TableRowToJsonLine.RowMetadata;
import io.github.promkinesis.lines.TableRowToJsonLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * The JSON lines of a Parquet object written by Firehose's record format conversion through the archive's Glue
 * table (docs/format.md): each row as the line it was made from ({@link TableRowToJsonLine}), row group by row
 * group, so the rest of the restore reads them as any object's lines. Columns are found by name and nested ones by
 * their shape: lists in either of Hive's layouts (bag/array_element, list/element) or the two-level one, maps as
 * a repeated group of key and value whatever it is named; a column the table lacks reads as absent. A row that
 * cannot be read ends the stream with an IOException naming it, after the lines before it. A compacted day
 * (compact, docs/format.md) is read the same way: its {@code value} is a double, and a row with a {@code line}
 * is that line.
 */
final class ParquetLines extends InputStream {

    /** Lines are made about this many bytes at a time. */
    private static final int CHUNK_BYTES = 1 << 16;

    private final ParquetFile file;
    private final Path copy;
    private final MessageColumnIO columns;
    private final ByteSink lines = new ByteSink(2 * CHUNK_BYTES);
    private int position;
    private int end;
    private IOException failure;
    private int rowGroup;
    private RecordReader<Group> rows;
    private long rowsLeft;
    private long rowNumber;

    private ParquetLines(ParquetFile file, Path copy) {
        this.file = file;
        this.copy = copy;
        this.columns = new ColumnIOFactory(file.createdBy()).getColumnIO(file.schema());
    }

    /** Whether an object starting with these bytes is Parquet. */
    static boolean isParquet(byte[] head) {
        return ParquetFile.startsWithMagic(head);
    }

    /** A local file's lines, read in place. */
    static InputStream open(Path file) throws IOException {
        return new ParquetLines(ParquetFile.open(file), null);
    }

    /**
     * The lines of an object that is not a local file: Parquet's footer is at its end, so it is copied to a
     * temporary file in {@code directory} first, deleted when the lines are closed.
     */
    static InputStream open(InputStream object, Path directory) throws IOException {
        Path copy = Files.createTempFile(directory, "restore-", ".parquet");
        try (object) {
            Files.copy(object, copy, StandardCopyOption.REPLACE_EXISTING);
            return new ParquetLines(ParquetFile.open(copy), copy);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        while (position == end) {
            if (!fill()) {
                return -1;
            }
        }
        return lines.array()[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == end) {
            if (!fill()) {
                return -1;
            }
        }
        int count = Math.min(length, end - position);
        System.arraycopy(lines.array(), position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** The next lines; false at the end. */
    private boolean fill() throws IOException {
        if (failure != null) {
            throw failure;
        }
        lines.clear();
        position = 0;
        end = 0;
        try {
            for (Group row; end < CHUNK_BYTES && (row = nextRow()) != null; end = lines.length()) {
                if (has(row, "line")) {
                    // a compacted day's line kept as it was (compact.TableRows)
                    lines.write(row.getBinary("line", 0).getBytes());
                    lines.write('\n');
                } else {
                    TableRowToJsonLine.write(row(row), lines);
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException("Parquet row " + rowNumber + ": " + e.getMessage(), e);
        }
        if (end == 0 && failure != null) {
            throw failure;
        }
        return end > 0;
    }

    private Group nextRow() throws IOException {
        while (rowsLeft == 0) {
            if (rowGroup == file.rowGroups()) {
                return null;
            }
            PageReadStore pages = file.rowGroup(rowGroup++);
            rows = columns.getRecordReader(pages, new GroupRecordConverter(file.schema()));
            rowsLeft = pages.getRowCount();
        }
        rowsLeft--;
        rowNumber++;
        return rows.read();
    }

    private static Row row(Group row) {
        String name = text(row, "name");
        if (name == null || !has(row, "time")) {
            throw new IllegalArgumentException("a row without name or time");
        }
        Group histogram = group(row, "histogram");
        Group exemplar = group(row, "exemplar");
        Group metadata = group(row, "metadata");
        String value = has(row, "value") && row.getType().getType("value").isPrimitive()
                && row.getType().getType("value").asPrimitiveType().getPrimitiveTypeName()
                == PrimitiveType.PrimitiveTypeName.DOUBLE
                ? TableRowToJsonLine.text(row.getDouble("value", 0)) : text(row, "value");
        return new Row(name, whole(row, "time"), value, has(row, "stale") && row.getBoolean("stale", 0),
                whole(row, "created"), map(group(row, "labels")),
                histogram == null ? null : new RowHistogram(number(histogram, "count"), text(histogram, "sum"),
                        integer(histogram, "schema"), number(histogram, "zero_threshold"),
                        number(histogram, "zero_count"), text(histogram, "reset_hint"), whole(histogram, "created"),
                        elements(group(histogram, "buckets")).stream().map(bucket -> new RowBucket(
                                integer(bucket, "index"), text(bucket, "lower"), text(bucket, "upper"),
                                number(bucket, "count"))).toList()),
                exemplar == null ? null : new RowExemplar(text(exemplar, "value"), map(group(exemplar, "labels"))),
                metadata == null ? null : new RowMetadata(text(metadata, "type"), text(metadata, "help"),
                        text(metadata, "unit")));
    }

    private static boolean has(Group group, String field) {
        return group.getType().containsField(field) && group.getFieldRepetitionCount(field) > 0;
    }

    private static String text(Group group, String field) {
        return has(group, field) ? group.getString(field, 0) : null;
    }

    private static long whole(Group group, String field) {
        return has(group, field) ? group.getLong(field, 0) : 0;
    }

    private static int integer(Group group, String field) {
        return has(group, field) ? group.getInteger(field, 0) : 0;
    }

    private static double number(Group group, String field) {
        return has(group, field) ? group.getDouble(field, 0) : 0;
    }

    private static Group group(Group group, String field) {
        return has(group, field) ? group.getGroup(field, 0) : null;
    }

    /** A map's entries: its one repeated group of key and value, whatever it is named (key_value, map). */
    private static Map<String, String> map(Group map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < map.getFieldRepetitionCount(0); i++) {
            Group entry = map.getGroup(0, i);
            entries.put(entry.getString("key", 0), has(entry, "value") ? entry.getString("value", 0) : "");
        }
        return entries;
    }

    /**
     * A list's elements: the one group inside each repeated group (bag/array_element, list/element), or the
     * repeated group itself when it holds the element's fields (the two-level layout); null elements are left out.
     */
    private static List<Group> elements(Group list) {
        if (list == null) {
            return List.of();
        }
        List<Group> elements = new ArrayList<>();
        for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
            Group repeated = list.getGroup(0, i);
            GroupType type = repeated.getType();
            if (type.getFieldCount() == 1 && !type.getType(0).isPrimitive()) {
                if (repeated.getFieldRepetitionCount(0) > 0) {
                    elements.add(repeated.getGroup(0, 0));
                }
            } else {
                elements.add(repeated);
            }
        }
        return elements;
    }
}
