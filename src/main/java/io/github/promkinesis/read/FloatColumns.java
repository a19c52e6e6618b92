package io.github.promkinesis.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesReader;

/**
 * The time and value columns of a row group of float samples only, as compact writes them (DELTA_BINARY_PACKED
 * times, BYTE_STREAM_SPLIT values, every value present), decoded page by page in plain loops: parquet-column's
 * row-by-row reader spent more on its bookkeeping, and its BYTE_STREAM_SPLIT reader on a byte buffer per value,
 * than the answer cost altogether. Pages in another encoding are left to that reader ({@link #read} says false).
 */
final class FloatColumns {

    private long[] times = new long[0];
    private double[] values = new double[0];
    /** A page's value bytes, and their bits put together. */
    private byte[] array = new byte[0];
    private long[] bits = new long[0];
    /** Per column, its pages' first rows, their rows and where their values start in the array. */
    private final Segments timePages = new Segments();
    private final Segments valuePages = new Segments();

    /** The selected rows' samples to their owners, range by range; false if a page is not as compact writes it. */
    boolean read(PageReadStore pages, ColumnDescriptor time, ColumnDescriptor value, long[] ranges,
                 List<SeriesSamples> owners, long start, long end) throws IOException {
        if (!decodeTimes(pages.getPageReader(time)) || !decodeValues(pages.getPageReader(value))) {
            return false;
        }
        int timePage = 0;
        int valuePage = 0;
        for (int r = 0; r < owners.size(); r++) {
            SeriesSamples samples = owners.get(r);
            for (long row = ranges[2 * r]; row < ranges[2 * r + 1]; row++) {
                while (row >= timePages.first[timePage] + timePages.rows[timePage]) {
                    timePage++;
                }
                while (row >= valuePages.first[valuePage] + valuePages.rows[valuePage]) {
                    valuePage++;
                }
                long t = times[timePages.at[timePage] + (int) (row - timePages.first[timePage])];
                if (t >= start && t <= end) {
                    samples.add(t, values[valuePages.at[valuePage] + (int) (row - valuePages.first[valuePage])]);
                }
            }
        }
        return true;
    }

    private boolean decodeTimes(PageReader reader) throws IOException {
        timePages.clear();
        int used = 0;
        for (DataPage read = reader.readPage(); read != null; read = reader.readPage()) {
            if (!(read instanceof DataPageV1 page) || page.getValueEncoding() != Encoding.DELTA_BINARY_PACKED
                    || page.getFirstRowIndex().isEmpty()) {
                return false;
            }
            int count = page.getValueCount();
            times = grow(times, used + count);
            // one reader a page: it keeps the counts of the page it read before
            DeltaBinaryPackingValuesReader delta = new DeltaBinaryPackingValuesReader();
            delta.initFromPage(count, ByteBufferInputStream.wrap(page.getBytes().toByteBuffer()));
            for (int i = 0; i < count; i++) {
                times[used + i] = delta.readLong();
            }
            timePages.add(page.getFirstRowIndex().get(), count, used);
            used += count;
        }
        return true;
    }

    private boolean decodeValues(PageReader reader) throws IOException {
        valuePages.clear();
        int used = 0;
        for (DataPage read = reader.readPage(); read != null; read = reader.readPage()) {
            if (!(read instanceof DataPageV1 page) || page.getValueEncoding() != Encoding.BYTE_STREAM_SPLIT
                    || page.getFirstRowIndex().isEmpty() || page.getIndexRowCount().orElse(-1) != page.getValueCount()) {
                return false;
            }
            int count = page.getValueCount();
            values = grow(values, used + count);
            ByteBuffer bytes = page.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            // the definition levels first (4-byte length, then RLE): every value is there, so skipped
            int from = bytes.position() + 4 + bytes.getInt(bytes.position());
            if (bytes.limit() - from != 8L * count) {
                return false;
            }
            if (array.length < 8 * count) {
                array = new byte[8 * count];
                bits = new long[count];
            }
            bytes.get(from, array, 0, 8 * count);
            // BYTE_STREAM_SPLIT: the values' first bytes, then their second bytes, ... up to their eighth; read
            // stream after stream, in order
            Arrays.fill(bits, 0, count, 0);
            for (int b = 0; b < 8; b++) {
                int stream = b * count;
                int shift = 8 * b;
                for (int i = 0; i < count; i++) {
                    bits[i] |= (array[stream + i] & 0xffL) << shift;
                }
            }
            for (int i = 0; i < count; i++) {
                values[used + i] = Double.longBitsToDouble(bits[i]);
            }
            valuePages.add(page.getFirstRowIndex().get(), count, used);
            used += count;
        }
        return true;
    }

    private static long[] grow(long[] array, int size) {
        return size <= array.length ? array : Arrays.copyOf(array, Math.max(size, 2 * array.length));
    }

    private static double[] grow(double[] array, int size) {
        return size <= array.length ? array : Arrays.copyOf(array, Math.max(size, 2 * array.length));
    }

    /** Pages as read: first row, rows, where their values start; a last entry that no row reaches. */
    private static final class Segments {
        long[] first = new long[16];
        int[] rows = new int[16];
        int[] at = new int[16];
        int count;

        void clear() {
            count = 0;
            first[0] = Long.MAX_VALUE;
        }

        void add(long firstRow, int pageRows, int start) {
            if (count + 2 > first.length) {
                first = Arrays.copyOf(first, 2 * first.length);
                rows = Arrays.copyOf(rows, 2 * rows.length);
                at = Arrays.copyOf(at, 2 * at.length);
            }
            first[count] = firstRow;
            rows[count] = pageRows;
            at[count] = start;
            count++;
            first[count] = Long.MAX_VALUE; // a row past the last page stops nothing: it is never asked for
            rows[count] = 0;
        }
    }
}
