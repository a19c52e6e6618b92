package io.github.promkinesis.read;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.parquet.ParquetFile;
import io.github.promkinesis.protocol.prompb.Histogram;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * One series' samples in a query's time range, read from the compacted days in time order: float samples (their
 * exact bits, the staleness marker's included) into two growing arrays, native histograms as remote read carries
 * them. Per day only the series' rows are decoded: the pages that hold them, of the time, value and kind columns,
 * and of the line column for a histogram's JSON. Reused from series to series.
 */
final class SeriesSamples {

    private static final Binary HISTOGRAM = Binary.fromString("histogram");

    long[] times = new long[1024];
    double[] values = new double[1024];
    int count;
    final List<Histogram> histograms = new ArrayList<>();
    private final JsonLineReader lines = new JsonLineReader();
    private long lastTime = Long.MIN_VALUE;

    void clear() {
        count = 0;
        histograms.clear();
        lastTime = Long.MIN_VALUE;
    }

    /** The series' rows of one day whose time is in [start, end], after those of the days before. */
    void read(CompactedDay day, DaySeries series, long start, long end) throws IOException {
        if (series.maxTime() < start || series.minTime() > end) {
            return;
        }
        ParquetFile file = day.file;
        MessageType schema = file.schema();
        List<ColumnDescriptor> columns = List.of(schema.getColumnDescription(new String[] {"time"}),
                schema.getColumnDescription(new String[] {"value"}), schema.getColumnDescription(new String[] {"kind"}),
                schema.getColumnDescription(new String[] {"line"}));
        long from = series.firstRow();
        long to = from + series.rows();
        long groupStart = 0;
        for (int group = 0; group < file.rowGroups() && groupStart < to; group++) {
            long groupRows = file.rowGroupRows(group);
            long first = Math.max(from, groupStart);
            long last = Math.min(to, groupStart + groupRows);
            if (first < last) {
                read(file, file.rows(group, first - groupStart, last - groupStart, columns), schema, columns,
                        last - first, start, end);
            }
            groupStart += groupRows;
        }
    }

    private void read(ParquetFile file, PageReadStore rows, MessageType schema, List<ColumnDescriptor> columns,
                      long count, long start, long end) {
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(rows, new GroupRecordConverter(schema).getRootConverter(),
                schema, file.createdBy());
        ColumnReader time = store.getColumnReader(columns.get(0));
        ColumnReader value = store.getColumnReader(columns.get(1));
        ColumnReader kind = store.getColumnReader(columns.get(2));
        ColumnReader line = store.getColumnReader(columns.get(3));
        for (long row = 0; row < count; row++) {
            long t = time.getLong();
            time.consume();
            boolean isFloat = value.getCurrentDefinitionLevel() == 1;
            double v = isFloat ? value.getDouble() : 0;
            value.consume();
            boolean isHistogram = kind.getCurrentDefinitionLevel() == 1 && kind.getBinary().equals(HISTOGRAM);
            kind.consume();
            Binary json = isHistogram && line.getCurrentDefinitionLevel() == 1 ? line.getBinary() : null;
            line.consume();
            if (t < start || t > end) {
                continue;
            }
            if (isFloat) {
                add(t, v);
            } else if (json != null) {
                byte[] bytes = json.getBytes();
                ArchivedLine histogram = lines.read(bytes, 0, bytes.length);
                histograms.add(histogram.histogram());
            }
        }
    }

    private void add(long time, double value) {
        // a day's rows are in time order and days follow each other: a time seen already is not sent twice
        if (time <= lastTime) {
            return;
        }
        if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        times[count] = time;
        values[count] = value;
        count++;
        lastTime = time;
    }
}
