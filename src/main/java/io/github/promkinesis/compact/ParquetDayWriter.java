package io.github.promkinesis.compact;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnWriteStoreV1;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnOrder;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MapType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.SortingColumn;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.TypeDefinedOrder;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The {@code parquet-encode} step's file: a compacted day's rows, in the order they come (metric name, series,
 * time), as one Parquet file readable by Athena, DuckDB and restore. parquet-column encodes the values (dictionary
 * for strings, DELTA_BINARY_PACKED for times, BYTE_STREAM_SPLIT for values) into version 1 data pages;
 * {@link ZstdPages} compresses them; the footer and page index are parquet-format's Thrift structures. No
 * Hadoop. The labels' columns are written on a thread of their own ({@link LabelColumns}). The same rows give the
 * same bytes. Memory does not grow with the day: a row group's compressed pages,
 * each column's page being filled (up to 1 MiB or 20,000 rows) and dictionary (up to 1 MiB, then plain), while
 * the page index waits in two files beside the output.
 */
public final class ParquetDayWriter implements Closeable {

    static final String FIRST_SORT_COLUMN = "name";
    /** Written by parquet-column's encoders, named so readers apply what they know of its version. */
    static final String CREATED_BY = "parquet-mr version 1.18.2 (build prometheus-remote-kinesis compact)";
    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("name")
            .required(PrimitiveType.PrimitiveTypeName.INT64).named("time")
            .optional(PrimitiveType.PrimitiveTypeName.DOUBLE).named("value")
            .optional(PrimitiveType.PrimitiveTypeName.BOOLEAN).named("stale")
            .optionalGroup().as(LogicalTypeAnnotation.mapType())
                .repeatedGroup()
                    .required(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("key")
                    .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("value")
                .named("key_value")
            .named("labels")
            .required(PrimitiveType.PrimitiveTypeName.INT64).named("series_id")
            .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("kind")
            .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("line")
            .named("prometheus_compacted");
    /** The labels map, written by {@link LabelColumns}; the other columns, by the caller's thread. */
    private static final MessageType LABELS = new MessageType(SCHEMA.getName(), SCHEMA.getType("labels"));
    private static final MessageType NOT_LABELS = new MessageType(SCHEMA.getName(),
            SCHEMA.getFields().stream().filter(field -> !field.getName().equals("labels")).toList());
    /** Columns whose statistics prune: row groups and pages by name, series and time. */
    private static final Set<String> PRUNING = Set.of("name", "time", "series_id", "kind", "stale");
    private static final int CHECK_SIZE_EVERY = 1024;
    private static final int ZSTD_LEVEL = 9;

    private final Counting out;
    private final long rowGroupBytes;
    private final ParquetProperties properties;
    private final List<RowGroup> rowGroups = new ArrayList<>();
    /** The page index of the row groups written, on disk until the last: it grows with the day. */
    private final Counting columnIndexes;
    private final Counting offsetIndexes;
    private final Path columnIndexFile;
    private final Path offsetIndexFile;
    private ZstdPages pages;
    private ColumnWriteStoreV1 store;
    /** The row group's columns. */
    private ColumnWriter name;
    private ColumnWriter time;
    private ColumnWriter value;
    private ColumnWriter stale;
    private final LabelColumns labels;
    private ColumnWriter seriesId;
    private ColumnWriter kind;
    private ColumnWriter line;
    private long rowsInGroup;
    private long rows;
    private final MessageDigest digest = newSha256();

    /** A new file at {@code file}, cutting a row group once about {@code rowGroupBytes} compressed bytes are held. */
    public ParquetDayWriter(Path file, long rowGroupBytes) throws IOException {
        this(file, rowGroupBytes, ParquetProperties.builder()
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
                .withValuesWriterFactory(new SeriesDictionaries())
                .withPageSize(1 << 20)
                .withDictionaryPageSize(1 << 20)
                .withDictionaryEncoding("time", false)
                .withDictionaryEncoding("value", false)
                .withByteStreamSplitEncoding("value", true)
                .withStatisticsEnabled(false)
                .withStatisticsEnabled("name", true)
                .withStatisticsEnabled("time", true)
                .withStatisticsEnabled("series_id", true)
                .withStatisticsEnabled("kind", true)
                .withStatisticsEnabled("stale", true)
                .build());
    }

    private ParquetDayWriter(Path file, long rowGroupBytes, ParquetProperties properties) throws IOException {
        // the SHA-256 as the bytes go out: the series index names the file by it, without reading it again
        this.out = new Counting(new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16),
                digest));
        this.columnIndexFile = file.resolveSibling(file.getFileName() + ".column-index");
        this.offsetIndexFile = file.resolveSibling(file.getFileName() + ".offset-index");
        this.columnIndexes = new Counting(new BufferedOutputStream(Files.newOutputStream(columnIndexFile), 1 << 16));
        this.offsetIndexes = new Counting(new BufferedOutputStream(Files.newOutputStream(offsetIndexFile), 1 << 16));
        this.rowGroupBytes = rowGroupBytes;
        this.properties = properties;
        this.labels = new LabelColumns(LABELS, properties);
        out.write(MAGIC);
        startRowGroup();
    }

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private void startRowGroup() throws IOException {
        pages = new ZstdPages(SCHEMA.getColumns(), ZSTD_LEVEL, PRUNING);
        store = new ColumnWriteStoreV1(NOT_LABELS, pages, properties);
        labels.startRowGroup(pages);
        name = column("name");
        time = column("time");
        value = column("value");
        stale = column("stale");
        seriesId = column("series_id");
        kind = column("kind");
        line = column("line");
        rowsInGroup = 0;
    }

    private ColumnWriter column(String... path) {
        return store.getColumnWriter(SCHEMA.getColumnDescription(path));
    }

    /** The row's values straight to their columns, with the levels parquet-column's record writer would give. */
    public void write(CompactedRow row) throws IOException {
        name.write(row.name, 0, 0);
        time.write(row.time, 0, 0);
        if (row.hasValue) {
            value.write(row.value, 0, 1);
        } else {
            value.writeNull(0, 0);
        }
        if (row.stale) {
            stale.write(true, 0, 1);
        } else {
            stale.writeNull(0, 0);
        }
        labels.row(row.labelNames, row.labelValues, row.labelCount);
        seriesId.write(row.seriesId, 0, 0);
        if (row.kind != null) {
            kind.write(row.kind, 0, 1);
        } else {
            kind.writeNull(0, 0);
        }
        if (row.line != null) {
            line.write(Binary.fromReusedByteArray(row.line, row.lineOffset, row.lineLength), 0, 1);
        } else {
            line.writeNull(0, 0);
        }
        store.endRecord();
        rows++;
        // the labels' few percent of the bytes not counted: what the other thread holds depends on its timing
        if (++rowsInGroup % CHECK_SIZE_EVERY == 0 && store.getBufferedSize() >= rowGroupBytes) {
            endRowGroup();
            startRowGroup();
        }
    }

    private void endRowGroup() throws IOException {
        if (rowsInGroup == 0) {
            return;
        }
        labels.endRowGroup();
        store.flush();
        long start = out.position;
        List<ZstdPages.Indexes> indexes = new ArrayList<>();
        RowGroup group = new RowGroup(pages.writeTo(out, start, indexes), pages.uncompressed(), rowsInGroup);
        // offsets in the index files for now, in the file once they follow the last row group
        for (ZstdPages.Indexes index : indexes) {
            if (index.columnIndex() != null) {
                long at = columnIndexes.position;
                Util.writeColumnIndex(index.columnIndex(), columnIndexes);
                index.chunk().setColumn_index_offset(at);
                index.chunk().setColumn_index_length((int) (columnIndexes.position - at));
            }
            long at = offsetIndexes.position;
            Util.writeOffsetIndex(index.offsetIndex(), offsetIndexes);
            index.chunk().setOffset_index_offset(at);
            index.chunk().setOffset_index_length((int) (offsetIndexes.position - at));
        }
        group.setFile_offset(start);
        group.setTotal_compressed_size(out.position - start);
        List<SortingColumn> sorting = new ArrayList<>();
        for (String column : List.of("name", "series_id", "time")) {
            sorting.add(new SortingColumn(leaf(column), false, false));
        }
        group.setSorting_columns(sorting);
        rowGroups.add(group);
    }

    /** Rows written so far. */
    public long rows() {
        return rows;
    }

    /** The file's length, once closed. */
    public long bytes() {
        return out.position;
    }

    /** The file's SHA-256, once closed. */
    public byte[] sha256() {
        return digest.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The last row group, the page index, the footer. */
    @Override
    public void close() throws IOException {
        try (out) {
            endRowGroup();
            columnIndexes.close();
            offsetIndexes.close();
            long columnIndexesAt = out.position;
            Files.copy(columnIndexFile, out);
            long offsetIndexesAt = out.position;
            Files.copy(offsetIndexFile, out);
            for (RowGroup group : rowGroups) {
                for (ColumnChunk chunk : group.getColumns()) {
                    if (chunk.isSetColumn_index_offset()) {
                        chunk.setColumn_index_offset(columnIndexesAt + chunk.getColumn_index_offset());
                    }
                    chunk.setOffset_index_offset(offsetIndexesAt + chunk.getOffset_index_offset());
                }
            }
            FileMetaData footer = new FileMetaData(1, schemaElements(), rows, rowGroups);
            footer.setCreated_by(CREATED_BY);
            footer.setColumn_orders(SCHEMA.getColumns().stream()
                    .map(c -> ColumnOrder.TYPE_ORDER(new TypeDefinedOrder())).toList());
            long at = out.position;
            Util.writeFileMetaData(footer, out);
            int length = (int) (out.position - at);
            out.write(new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)});
            out.write(MAGIC);
        } finally {
            labels.close();
            columnIndexes.close();
            offsetIndexes.close();
            Files.deleteIfExists(columnIndexFile);
            Files.deleteIfExists(offsetIndexFile);
        }
    }

    private static int leaf(String name) {
        List<ColumnDescriptor> columns = SCHEMA.getColumns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).getPath()[0].equals(name) && columns.get(i).getPath().length == 1) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** The schema as the footer lists it: depth first, each group with its number of children. */
    private static List<SchemaElement> schemaElements() {
        List<SchemaElement> elements = new ArrayList<>();
        SchemaElement root = new SchemaElement(SCHEMA.getName());
        root.setNum_children(SCHEMA.getFieldCount());
        elements.add(root);
        for (Type field : SCHEMA.getFields()) {
            add(field, elements);
        }
        return elements;
    }

    private static void add(Type type, List<SchemaElement> elements) {
        SchemaElement element = new SchemaElement(type.getName());
        element.setRepetition_type(FieldRepetitionType.valueOf(type.getRepetition().name()));
        if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
            element.setConverted_type(ConvertedType.UTF8);
            element.setLogicalType(LogicalType.STRING(new StringType()));
        } else if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            element.setConverted_type(ConvertedType.MAP);
            element.setLogicalType(LogicalType.MAP(new MapType()));
        }
        elements.add(element);
        if (type.isPrimitive()) {
            element.setType(org.apache.parquet.format.Type.valueOf(type.asPrimitiveType().getPrimitiveTypeName().name()
                    .replace("BINARY", "BYTE_ARRAY")));
            return;
        }
        GroupType group = type.asGroupType();
        element.setNum_children(group.getFieldCount());
        for (Type child : group.getFields()) {
            add(child, elements);
        }
    }

    /** Counts the bytes written: offsets in the footer are positions in the file. */
    private static final class Counting extends FilterOutputStream {
        long position;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            position += length;
        }
    }
}
