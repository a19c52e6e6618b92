package io.github.promkinesis.parquet;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageLocation;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.xerial.snappy.Snappy;

/**
 * A Parquet file, local or an S3 object read by ranges, read with parquet-column's pages and the footer's Thrift
 * structures, without parquet-hadoop, whose reader needs Hadoop's classes: a whole row group (restore), or only the
 * pages of some columns that hold some rows, found by the page index (serve-archive). Column chunks are held
 * compressed and each page is decompressed when its values are read. Compression: none, Snappy and gzip, what
 * Firehose's Parquet conversion writes, and zstd, what compact writes.
 */
public final class ParquetFile implements Closeable {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final ByteRanges file;
    private final FileMetaData footer;
    private final MessageType schema;
    /** Row group to its columns' page locations, as they are first needed. */
    private final Map<Integer, List<PageLocation>[]> pageIndexes = new HashMap<>();

    private ParquetFile(ByteRanges file, FileMetaData footer, MessageType schema) {
        this.file = file;
        this.footer = footer;
        this.schema = schema;
    }

    public static boolean startsWithMagic(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The local file's footer read; a file that is no whole Parquet file is an IOException saying why. */
    public static ParquetFile open(Path path) throws IOException {
        return open(ByteRanges.of(path));
    }

    /** The footer read, in one read of its last 64 KiB when it fits; the file is closed with the result. */
    public static ParquetFile open(ByteRanges file) throws IOException {
        try {
            long size = file.size();
            if (size < 12) {
                throw new IOException("a Parquet file of " + size + " bytes: cut off?");
            }
            int tailLength = (int) Math.min(size, FOOTER_GUESS);
            byte[] tail = file.read(size - tailLength, tailLength);
            if (!Arrays.equals(tail, tailLength - 4, tailLength, MAGIC, 0, MAGIC.length)) {
                throw new IOException("no Parquet footer at the end of the file: cut off?");
            }
            int length = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt(tailLength - 8);
            if (length <= 0 || length > size - 12) {
                throw new IOException("Parquet footer length " + length + " does not fit a file of " + size + " bytes");
            }
            FileMetaData footer = Util.readFileMetaData(length + 8 <= tailLength
                    ? new ByteArrayInputStream(tail, tailLength - 8 - length, length)
                    : new ByteArrayInputStream(file.read(size - 8 - length, length)));
            return new ParquetFile(file, footer, schema(footer.getSchema()));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e instanceof IOException io ? io : new IOException("unreadable Parquet footer: " + e, e);
        }
    }

    private static final int FOOTER_GUESS = 1 << 16;

    public MessageType schema() {
        return schema;
    }

    /** The writer's name and version, which parquet-column needs to work around old writers' bugs. */
    public String createdBy() {
        return footer.getCreated_by();
    }

    public int rowGroups() {
        return footer.getRow_groupsSize();
    }

    public long rowGroupRows(int i) {
        return footer.getRow_groups().get(i).getNum_rows();
    }

    /** Row group i's column chunks, read into memory still compressed. */
    public PageReadStore rowGroup(int i) throws IOException {
        RowGroup group = footer.getRow_groups().get(i);
        Map<List<String>, ColumnPages> columns = new HashMap<>();
        for (ColumnChunk chunk : group.getColumns()) {
            ColumnMetaData column = chunk.getMeta_data();
            long start = column.isSetDictionary_page_offset() && column.getDictionary_page_offset() > 0
                    && column.getDictionary_page_offset() < column.getData_page_offset()
                    ? column.getDictionary_page_offset() : column.getData_page_offset();
            long size = column.getTotal_compressed_size();
            try {
                if (start < 0 || size < 0 || size > Integer.MAX_VALUE - 8 || start + size > file.size()) {
                    throw new IOException("it lies outside the file");
                }
                columns.put(column.getPath_in_schema(), new ColumnPages(file.read(start, (int) size), column,
                        column.getNum_values(), null));
            } catch (IOException e) {
                throw new IOException("Parquet row group " + (i + 1) + ", column "
                        + String.join(".", column.getPath_in_schema()) + ": " + e.getMessage(), e);
            }
        }
        return new Pages(columns, group.getNum_rows(), null);
    }

    /**
     * Some rows of row group i, only of these columns: {@code ranges} holds [from, to) pairs of row numbers in the
     * group, ascending, not overlapping. Only the pages holding them are read (found by the page index compact writes),
     * each run of adjacent pages in one read, after the column's dictionary page. parquet-column's
     * {@code ColumnReadStoreImpl} over the result reads exactly those rows, in order, skipping the pages' others.
     */
    public PageReadStore rows(int i, long[] ranges, List<ColumnDescriptor> wanted) throws IOException {
        RowGroup group = footer.getRow_groups().get(i);
        Map<List<String>, ColumnPages> columns = new HashMap<>();
        for (int c = 0; c < group.getColumnsSize(); c++) {
            ColumnChunk chunk = group.getColumns().get(c);
            ColumnMetaData column = chunk.getMeta_data();
            if (wanted.stream().noneMatch(w -> List.of(w.getPath()).equals(column.getPath_in_schema()))) {
                continue;
            }
            String where = "Parquet row group " + (i + 1) + ", column " + String.join(".", column.getPath_in_schema());
            List<PageLocation> pages = pageLocations(i, c, where);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long dictionary = column.isSetDictionary_page_offset() ? column.getDictionary_page_offset() : 0;
            if (dictionary > 0 && dictionary < column.getData_page_offset()) {
                bytes.write(file.read(dictionary, (int) (column.getData_page_offset() - dictionary)));
            }
            List<long[]> chosen = new ArrayList<>(); // first row, rows
            int range = 0;
            int runStart = -1;
            for (int p = 0; p < pages.size() && range < ranges.length; p++) {
                long first = pages.get(p).getFirst_row_index();
                long end = p + 1 < pages.size() ? pages.get(p + 1).getFirst_row_index() : group.getNum_rows();
                while (range < ranges.length && ranges[range + 1] <= first) {
                    range += 2;
                }
                boolean needed = range < ranges.length && ranges[range] < end;
                if (needed) {
                    chosen.add(new long[] {first, end - first});
                    if (runStart < 0) {
                        runStart = p;
                    }
                }
                boolean runEnds = runStart >= 0 && (!needed || p + 1 == pages.size());
                if (runEnds) {
                    int last = needed ? p : p - 1;
                    long from = pages.get(runStart).getOffset();
                    bytes.write(file.read(from, (int) (pages.get(last).getOffset()
                            + pages.get(last).getCompressed_page_size() - from)));
                    runStart = -1;
                }
            }
            try {
                columns.put(column.getPath_in_schema(), new ColumnPages(bytes.toByteArray(), column, Long.MAX_VALUE,
                        chosen));
            } catch (IOException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
        }
        return new Pages(columns, group.getNum_rows(), ranges);
    }

    /** Whether row group i's column holds only nulls, by its statistics (false when it has none). */
    public boolean onlyNulls(int i, String column) {
        for (ColumnChunk chunk : footer.getRow_groups().get(i).getColumns()) {
            ColumnMetaData meta = chunk.getMeta_data();
            if (meta.getPath_in_schema().equals(List.of(column))) {
                return meta.isSetStatistics() && meta.getStatistics().isSetNull_count()
                        && meta.getStatistics().getNull_count() == meta.getNum_values();
            }
        }
        return false;
    }

    /** The column chunk's page locations from its offset index, read once and kept with the file. */
    private List<PageLocation> pageLocations(int group, int column, String where) throws IOException {
        List<PageLocation>[] known;
        synchronized (pageIndexes) {
            known = pageIndexes.computeIfAbsent(group, g -> new List[footer.getRow_groups().get(g).getColumnsSize()]);
        }
        synchronized (known) {
            if (known[column] == null) {
                ColumnChunk chunk = footer.getRow_groups().get(group).getColumns().get(column);
                if (!chunk.isSetOffset_index_offset()) {
                    throw new IOException(where + ": no page index (a file compact did not write?)");
                }
                known[column] = Util.readOffsetIndex(new ByteArrayInputStream(file.read(chunk.getOffset_index_offset(),
                        chunk.getOffset_index_length()))).getPage_locations();
            }
            return known[column];
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** A row group's columns read, all its rows or those of {@code ranges} ([from, to) pairs). */
    private static final class Pages implements PageReadStore {
        private final Map<List<String>, ColumnPages> columns;
        private final long rows;
        private final long[] ranges;

        Pages(Map<List<String>, ColumnPages> columns, long rows, long[] ranges) {
            this.columns = columns;
            this.rows = rows;
            this.ranges = ranges;
        }

        @Override
        public long getRowCount() {
            return rows;
        }

        @Override
        public PageReader getPageReader(ColumnDescriptor descriptor) {
            ColumnPages pages = columns.get(List.of(descriptor.getPath()));
            if (pages == null) {
                throw new ParquetDecodingException("no column chunk for " + List.of(descriptor.getPath()));
            }
            return pages;
        }

        @Override
        public Optional<PrimitiveIterator.OfLong> getRowIndexes() {
            if (ranges == null) {
                return Optional.empty();
            }
            // by hand: a flat-mapped stream's iterator buffers whole ranges, and cost more than the reading
            return Optional.of(new PrimitiveIterator.OfLong() {
                private int range;
                private long row = ranges.length > 0 ? ranges[0] : 0;

                @Override
                public boolean hasNext() {
                    return range < ranges.length;
                }

                @Override
                public long nextLong() {
                    long next = row++;
                    if (row == ranges[range + 1]) {
                        range += 2;
                        row = range < ranges.length ? ranges[range] : 0;
                    }
                    return next;
                }
            });
        }
    }

    /** One column chunk's pages, from their headers; each page decompressed when it is asked for. */
    private static final class ColumnPages implements PageReader {
        private final byte[] chunk;
        private final CompressionCodec codec;
        private final long values;
        private final ArrayDeque<Page> pages = new ArrayDeque<>();
        /** Each data page's first row and its rows, from the page index; null: not known. */
        private final List<long[]> firstRows;
        private int pageNumber;
        private DictionaryPage dictionary;

        /** The pages of {@code chunk} up to {@code values} values or its end. */
        ColumnPages(byte[] chunk, ColumnMetaData column, long values, List<long[]> firstRows) throws IOException {
            this.chunk = chunk;
            this.codec = column.getCodec();
            this.firstRows = firstRows;
            if (codec != CompressionCodec.UNCOMPRESSED && codec != CompressionCodec.SNAPPY
                    && codec != CompressionCodec.GZIP && codec != CompressionCodec.ZSTD) {
                throw new IOException("Parquet compression " + codec + " is not supported: only UNCOMPRESSED,"
                        + " SNAPPY and GZIP, which Firehose writes, and ZSTD, which compact writes");
            }
            ByteArrayInputStream in = new ByteArrayInputStream(chunk);
            long read = 0;
            while (read < values && in.available() > 0) {
                PageHeader header = Util.readPageHeader(in);
                int offset = chunk.length - in.available();
                if (header.getCompressed_page_size() < 0 || header.getCompressed_page_size() > in.available()) {
                    throw new IOException("a page runs past the column chunk");
                }
                in.skipNBytes(header.getCompressed_page_size());
                switch (header.getType()) {
                    case DICTIONARY_PAGE -> dictionary = new DictionaryPage(
                            decompress(offset, header.getCompressed_page_size(), header.getUncompressed_page_size()),
                            header.getDictionary_page_header().getNum_values(),
                            encoding(header.getDictionary_page_header().getEncoding()));
                    case DATA_PAGE, DATA_PAGE_V2 -> {
                        pages.add(new Page(header, offset));
                        read += header.isSetData_page_header() ? header.getData_page_header().getNum_values()
                                : header.getData_page_header_v2().getNum_values();
                    }
                    default -> {
                        // index pages: nothing to read
                    }
                }
            }
            this.values = read;
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dictionary;
        }

        @Override
        public long getTotalValueCount() {
            return values;
        }

        @Override
        public DataPage readPage() {
            Page next = pages.poll();
            if (next == null) {
                return null;
            }
            int number = pageNumber++;
            PageHeader header = next.header();
            int offset = next.offset();
            int size = header.getCompressed_page_size();
            try {
                if (header.isSetData_page_header()) {
                    DataPageHeader page = header.getData_page_header();
                    BytesInput bytes = decompress(offset, size, header.getUncompressed_page_size());
                    if (firstRows != null) {
                        // where the page starts, so that a reader of some rows knows which of its values to skip
                        return new DataPageV1(bytes, page.getNum_values(), header.getUncompressed_page_size(),
                                firstRows.get(number)[0], (int) firstRows.get(number)[1], null,
                                encoding(page.getRepetition_level_encoding()),
                                encoding(page.getDefinition_level_encoding()), encoding(page.getEncoding()));
                    }
                    return new DataPageV1(bytes, page.getNum_values(), header.getUncompressed_page_size(), null,
                            encoding(page.getRepetition_level_encoding()), encoding(page.getDefinition_level_encoding()),
                            encoding(page.getEncoding()));
                }
                // v2 pages compress only their values, after the repetition and definition levels
                DataPageHeaderV2 page = header.getData_page_header_v2();
                int repetition = page.getRepetition_levels_byte_length();
                int levels = repetition + page.getDefinition_levels_byte_length();
                BytesInput data = page.isIs_compressed()
                        ? decompress(offset + levels, size - levels, header.getUncompressed_page_size() - levels)
                        : BytesInput.from(chunk, offset + levels, size - levels);
                return DataPageV2.uncompressed(page.getNum_rows(), page.getNum_nulls(), page.getNum_values(),
                        BytesInput.from(chunk, offset, repetition), BytesInput.from(chunk, offset + repetition,
                                levels - repetition), encoding(page.getEncoding()), data, null);
            } catch (IOException | RuntimeException e) {
                throw new ParquetDecodingException("unreadable page: " + e.getMessage(), e);
            }
        }

        private BytesInput decompress(int offset, int size, int uncompressed) throws IOException {
            if (codec == CompressionCodec.UNCOMPRESSED) {
                return BytesInput.from(chunk, offset, size);
            }
            if (uncompressed < 0) {
                throw new IOException("a page of " + uncompressed + " bytes");
            }
            byte[] page = new byte[uncompressed];
            if (codec == CompressionCodec.SNAPPY) {
                if (Snappy.uncompressedLength(chunk, offset, size) != uncompressed) {
                    throw new IOException("a Snappy page is not of the size its header says");
                }
                Snappy.uncompress(chunk, offset, size, page, 0);
            } else if (codec == CompressionCodec.ZSTD) {
                if (Zstd.decompressByteArray(page, 0, uncompressed, chunk, offset, size) != uncompressed) {
                    throw new IOException("a zstd page is not of the size its header says");
                }
            } else {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(chunk, offset, size))) {
                    if (in.readNBytes(page, 0, uncompressed) != uncompressed) {
                        throw new EOFException("a gzip page is shorter than its header says");
                    }
                }
            }
            return BytesInput.from(page);
        }
    }

    /** A data page: its header, and where its bytes start in the column chunk. */
    private record Page(PageHeader header, int offset) {
    }

    private static Encoding encoding(org.apache.parquet.format.Encoding encoding) {
        return Encoding.valueOf(encoding.name());
    }


    /** The schema from its depth-first list of elements; types only, annotations are not needed to read by name. */
    private static MessageType schema(List<SchemaElement> elements) {
        Iterator<SchemaElement> remaining = elements.iterator();
        SchemaElement root = remaining.next();
        return new MessageType(root.getName(), children(remaining, root.getNum_children()));
    }

    private static List<Type> children(Iterator<SchemaElement> remaining, int count) {
        List<Type> children = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SchemaElement element = remaining.next();
            Type.Repetition repetition = Type.Repetition.valueOf(element.getRepetition_type().name());
            children.add(element.isSetNum_children()
                    ? new GroupType(repetition, element.getName(), children(remaining, element.getNum_children()))
                    : new PrimitiveType(repetition, element.getType() == org.apache.parquet.format.Type.BYTE_ARRAY
                            ? PrimitiveType.PrimitiveTypeName.BINARY
                            : PrimitiveType.PrimitiveTypeName.valueOf(element.getType().name()),
                            element.getType_length(), element.getName()));
        }
        return children;
    }
}
