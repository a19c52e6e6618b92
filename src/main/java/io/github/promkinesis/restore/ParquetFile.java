package io.github.promkinesis.restore;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 * A local Parquet file, read row group by row group with parquet-column's pages and the footer's Thrift structures,
 * without parquet-hadoop, whose reader needs Hadoop's classes. A row group's column chunks are held compressed and
 * each page is decompressed when its values are read. Compression: none, Snappy and gzip, what Firehose's Parquet
 * conversion writes, and zstd, what compact writes.
 */
final class ParquetFile implements Closeable {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final FileChannel channel;
    private final FileMetaData footer;
    private final MessageType schema;

    private ParquetFile(FileChannel channel, FileMetaData footer, MessageType schema) {
        this.channel = channel;
        this.footer = footer;
        this.schema = schema;
    }

    static boolean startsWithMagic(byte[] head) {
        return head.length >= MAGIC.length && Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** The file's footer read; a file that is no whole Parquet file is an IOException saying why. */
    static ParquetFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 12) {
                throw new IOException("a Parquet file of " + size + " bytes: cut off?");
            }
            ByteBuffer tail = read(channel, size - 8, 8);
            if (!Arrays.equals(tail.array(), 4, 8, MAGIC, 0, MAGIC.length)) {
                throw new IOException("no Parquet footer at the end of the file: cut off?");
            }
            int length = tail.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (length <= 0 || length > size - 12) {
                throw new IOException("Parquet footer length " + length + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer bytes = read(channel, size - 8 - length, length);
            FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(bytes.array()));
            return new ParquetFile(channel, footer, schema(footer.getSchema()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException("unreadable Parquet footer: " + e, e);
        }
    }

    MessageType schema() {
        return schema;
    }

    /** The writer's name and version, which parquet-column needs to work around old writers' bugs. */
    String createdBy() {
        return footer.getCreated_by();
    }

    int rowGroups() {
        return footer.getRow_groupsSize();
    }

    /** Row group i's column chunks, read into memory still compressed. */
    PageReadStore rowGroup(int i) throws IOException {
        RowGroup group = footer.getRow_groups().get(i);
        Map<List<String>, ColumnPages> columns = new HashMap<>();
        for (ColumnChunk chunk : group.getColumns()) {
            ColumnMetaData column = chunk.getMeta_data();
            long start = column.isSetDictionary_page_offset() && column.getDictionary_page_offset() > 0
                    && column.getDictionary_page_offset() < column.getData_page_offset()
                    ? column.getDictionary_page_offset() : column.getData_page_offset();
            long size = column.getTotal_compressed_size();
            try {
                if (start < 0 || size < 0 || size > Integer.MAX_VALUE - 8 || start + size > channel.size()) {
                    throw new IOException("it lies outside the file");
                }
                columns.put(column.getPath_in_schema(), new ColumnPages(read(channel, start, (int) size).array(),
                        column));
            } catch (IOException e) {
                throw new IOException("Parquet row group " + (i + 1) + ", column "
                        + String.join(".", column.getPath_in_schema()) + ": " + e.getMessage(), e);
            }
        }
        return new PageReadStore() {
            @Override
            public PageReader getPageReader(ColumnDescriptor descriptor) {
                ColumnPages pages = columns.get(List.of(descriptor.getPath()));
                if (pages == null) {
                    throw new ParquetDecodingException("no column chunk for " + List.of(descriptor.getPath()));
                }
                return pages;
            }

            @Override
            public long getRowCount() {
                return group.getNum_rows();
            }
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** One column chunk's pages, from their headers; each page decompressed when it is asked for. */
    private static final class ColumnPages implements PageReader {
        private final byte[] chunk;
        private final CompressionCodec codec;
        private final long values;
        private final ArrayDeque<Page> pages = new ArrayDeque<>();
        private DictionaryPage dictionary;

        ColumnPages(byte[] chunk, ColumnMetaData column) throws IOException {
            this.chunk = chunk;
            this.codec = column.getCodec();
            this.values = column.getNum_values();
            if (codec != CompressionCodec.UNCOMPRESSED && codec != CompressionCodec.SNAPPY
                    && codec != CompressionCodec.GZIP && codec != CompressionCodec.ZSTD) {
                throw new IOException("Parquet compression " + codec + " is not supported: only UNCOMPRESSED,"
                        + " SNAPPY and GZIP, which Firehose writes, and ZSTD, which compact writes");
            }
            ByteArrayInputStream in = new ByteArrayInputStream(chunk);
            for (long read = 0; read < values; ) {
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
            PageHeader header = next.header();
            int offset = next.offset();
            int size = header.getCompressed_page_size();
            try {
                if (header.isSetData_page_header()) {
                    DataPageHeader page = header.getData_page_header();
                    return new DataPageV1(decompress(offset, size, header.getUncompressed_page_size()),
                            page.getNum_values(), header.getUncompressed_page_size(), null,
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

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.max(length, 0));
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, position + bytes.position()) < 0) {
                throw new EOFException("the file ends before byte " + (position + length));
            }
        }
        return bytes.flip();
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
