package io.github.promkinesis.compact;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.format.BoundaryOrder;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnIndex;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.OffsetIndex;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageLocation;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;

/**
 * One row group's column chunks as parquet-column's column writers hand over their pages: each page compressed
 * with zstd and kept in memory behind its Thrift header until the row group is written out, dictionary page
 * first. Parquet-hadoop's page store does the same, but needs Hadoop's classes. Columns named in
 * {@code withMinMax} get min and max statistics in their chunk, their page headers and a column index (what
 * readers prune row groups and pages by); every column gets an offset index (where each page starts).
 */
final class ZstdPages implements PageWriteStore {

    private final int level;
    private final Set<String> withMinMax;
    private final List<ColumnPages> columns = new ArrayList<>();

    ZstdPages(List<ColumnDescriptor> descriptors, int level, Set<String> withMinMax) {
        this.level = level;
        this.withMinMax = withMinMax;
        for (ColumnDescriptor descriptor : descriptors) {
            columns.add(new ColumnPages(descriptor));
        }
    }

    @Override
    public PageWriter getPageWriter(ColumnDescriptor descriptor) {
        for (ColumnPages column : columns) {
            if (column.descriptor.equals(descriptor)) {
                return column;
            }
        }
        throw new IllegalArgumentException("no column " + String.join(".", descriptor.getPath()));
    }

    /** The chunks written at {@code position} of {@code out}, in schema order; their indexes kept for later. */
    List<ColumnChunk> writeTo(OutputStream out, long position, List<Indexes> indexes) throws IOException {
        List<ColumnChunk> chunks = new ArrayList<>();
        for (ColumnPages column : columns) {
            long start = position;
            if (column.dictionary != null) {
                column.dictionary.writeTo(out);
                position += column.dictionary.size();
            }
            long dataStart = position;
            column.data.writeTo(out);
            position += column.data.size();
            ColumnMetaData meta = new ColumnMetaData(
                    org.apache.parquet.format.Type.valueOf(column.descriptor.getPrimitiveType().getPrimitiveTypeName()
                            .name().replace("BINARY", "BYTE_ARRAY")),
                    column.encodings.stream().map(e -> org.apache.parquet.format.Encoding.valueOf(e.name())).toList(),
                    List.of(column.descriptor.getPath()), CompressionCodec.ZSTD, column.values,
                    column.uncompressed, column.compressed, dataStart);
            if (column.dictionary != null) {
                meta.setDictionary_page_offset(start);
            }
            if (column.statistics != null) {
                meta.setStatistics(column.thrift(column.statistics));
            }
            ColumnChunk chunk = new ColumnChunk(start);
            chunk.setMeta_data(meta);
            chunks.add(chunk);
            List<PageLocation> locations = new ArrayList<>();
            for (Page page : column.pages) {
                locations.add(new PageLocation(dataStart + page.offset, page.size, page.firstRow));
            }
            ColumnIndex columnIndex = null;
            if (column.minMax) {
                // a page of nulls only is a null page, with empty bounds
                columnIndex = new ColumnIndex(column.pages.stream().map(p -> !p.statistics.hasNonNullValue()).toList(),
                        column.pages.stream().map(p -> ByteBuffer.wrap(p.statistics.hasNonNullValue()
                                ? p.statistics.getMinBytes() : new byte[0])).toList(),
                        column.pages.stream().map(p -> ByteBuffer.wrap(p.statistics.hasNonNullValue()
                                ? p.statistics.getMaxBytes() : new byte[0])).toList(),
                        column.ascending() ? BoundaryOrder.ASCENDING : BoundaryOrder.UNORDERED);
                columnIndex.setNull_counts(column.pages.stream().map(p -> p.statistics.getNumNulls()).toList());
            }
            indexes.add(new Indexes(chunk, columnIndex, new OffsetIndex(locations)));
        }
        return chunks;
    }

    /** Bytes held: what the row group will take in the file. */
    long size() {
        return columns.stream().mapToLong(ColumnPages::getMemSize).sum();
    }

    /** Uncompressed bytes of the row group, as its footer entry says them. */
    long uncompressed() {
        return columns.stream().mapToLong(c -> c.uncompressed).sum();
    }

    /** A column chunk's indexes, written after the last row group. */
    record Indexes(ColumnChunk chunk, ColumnIndex columnIndex, OffsetIndex offsetIndex) {
    }

    private record Page(long offset, int size, long firstRow, Statistics<?> statistics) {
    }

    private final class ColumnPages implements PageWriter {
        private final ColumnDescriptor descriptor;
        private final boolean minMax;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream(1 << 16);
        private ByteArrayOutputStream dictionary;
        private final Set<Encoding> encodings = new LinkedHashSet<>();
        private final List<Page> pages = new ArrayList<>();
        private Statistics<?> statistics;
        private long values;
        private long rows;
        private long uncompressed;
        private long compressed;

        ColumnPages(ColumnDescriptor descriptor) {
            this.descriptor = descriptor;
            this.minMax = withMinMax.contains(String.join(".", descriptor.getPath()));
        }

        /** The first sort column: its pages' values rise from page to page. */
        boolean ascending() {
            return descriptor.getPath().length == 1 && descriptor.getPath()[0].equals(ParquetDayWriter.FIRST_SORT_COLUMN);
        }

        @Override
        public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> pageStatistics,
                              SizeStatistics sizeStatistics, GeospatialStatistics geospatialStatistics,
                              Encoding repetition, Encoding definition, Encoding valuesEncoding) throws IOException {
            byte[] raw = bytes.toByteArray();
            byte[] packed = Zstd.compress(raw, level);
            PageHeader header = new PageHeader(PageType.DATA_PAGE, raw.length, packed.length);
            DataPageHeader page = new DataPageHeader(valueCount, format(valuesEncoding), format(definition),
                    format(repetition));
            if (minMax && pageStatistics.hasNonNullValue()) {
                page.setStatistics(thrift(pageStatistics));
            }
            header.setData_page_header(page);
            long offset = data.size();
            Util.writePageHeader(header, data);
            int headerSize = (int) (data.size() - offset);
            data.write(packed);
            pages.add(new Page(offset, headerSize + packed.length, rows, minMax ? pageStatistics.copy() : null));
            if (statistics == null) {
                statistics = minMax ? pageStatistics.copy() : null;
            } else {
                statistics.mergeStatistics(pageStatistics);
            }
            values += valueCount;
            rows += rowCount;
            uncompressed += headerSize + raw.length;
            compressed += headerSize + packed.length;
            encodings.add(repetition);
            encodings.add(definition);
            encodings.add(valuesEncoding);
        }

        @Override
        public void writeDictionaryPage(DictionaryPage page) throws IOException {
            byte[] raw = page.getBytes().toByteArray();
            byte[] packed = Zstd.compress(raw, level);
            PageHeader header = new PageHeader(PageType.DICTIONARY_PAGE, raw.length, packed.length);
            header.setDictionary_page_header(new DictionaryPageHeader(page.getDictionarySize(),
                    format(page.getEncoding())));
            dictionary = new ByteArrayOutputStream(packed.length + 64);
            Util.writePageHeader(header, dictionary);
            int headerSize = dictionary.size();
            dictionary.write(packed);
            uncompressed += headerSize + raw.length;
            compressed += headerSize + packed.length;
            encodings.add(page.getEncoding());
        }

        org.apache.parquet.format.Statistics thrift(Statistics<?> from) {
            org.apache.parquet.format.Statistics to = new org.apache.parquet.format.Statistics();
            to.setNull_count(from.getNumNulls());
            if (from.hasNonNullValue()) {
                to.setMin_value(from.getMinBytes());
                to.setMax_value(from.getMaxBytes());
            }
            return to;
        }

        @Override
        public void writePage(BytesInput bytes, int valueCount, Statistics<?> statistics, Encoding repetition,
                              Encoding definition, Encoding values) {
            throw new UnsupportedOperationException("pages come with their row count");
        }

        @Override
        public void writePage(BytesInput bytes, int valueCount, int rowCount, Statistics<?> statistics,
                              Encoding repetition, Encoding definition, Encoding values) {
            throw new UnsupportedOperationException("pages come with their size statistics");
        }

        @Override
        public void writePageV2(int rowCount, int nullCount, int valueCount, BytesInput repetitionLevels,
                                BytesInput definitionLevels, Encoding dataEncoding, BytesInput data,
                                Statistics<?> statistics) {
            throw new UnsupportedOperationException("version 1 data pages only");
        }

        @Override
        public long getMemSize() {
            return data.size() + (dictionary == null ? 0 : dictionary.size());
        }

        @Override
        public long allocatedSize() {
            return getMemSize();
        }

        @Override
        public String memUsageString(String prefix) {
            return prefix + " " + String.join(".", descriptor.getPath()) + ": " + getMemSize() + " bytes";
        }
    }

    private static org.apache.parquet.format.Encoding format(Encoding encoding) {
        return org.apache.parquet.format.Encoding.valueOf(encoding.name());
    }
}
