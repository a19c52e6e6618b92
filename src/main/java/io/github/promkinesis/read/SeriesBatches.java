package io.github.promkinesis.read;

import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.parquet.ParquetFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * The samples of a query's series, read a batch of series at a time, in the answer's (label) order: per batch,
 * each day's file is read once, only its pages that hold the batch's series (of the time, value and kind columns,
 * and the line column's for a histogram's JSON), in the file's row order, each row going to its series. A batch
 * is as many series as hold about {@link #BATCH_ROWS} rows by the index, so memory is bounded by two batches, not
 * by the query, and a page is decompressed once per batch that needs it rather than once per series. The next
 * batch is read ahead on {@code readAhead} while the answer is made of this one: on the second core, or while
 * S3 answers the next batch's ranged GETs.
 */
final class SeriesBatches implements AutoCloseable {

    static final long BATCH_ROWS = 1_000_000;
    private static final Binary HISTOGRAM = Binary.fromString("histogram");
    /** The days of a batch read at once, for all requests: S3's latency paid once per batch, not once per day. */
    private static final Executor FETCHES = Executors.newFixedThreadPool(8, work -> {
        Thread thread = new Thread(work, "read-fetch");
        thread.setDaemon(true);
        return thread;
    });

    private final SelectedQuery query;
    private final Executor readAhead;
    private final ReadLimits limits;
    private final long deadline;
    private final JsonLineReader lines = new JsonLineReader();
    private final FloatColumns floatColumns = new FloatColumns();
    /** The first series of the batch after the last one read or being read. */
    private int unread;
    private Batch current;
    private CompletableFuture<Batch> following;

    /** Reading stops at the request's deadline, a batch read ahead too: READ_TIMEOUT holds however slow S3 is. */
    SeriesBatches(SelectedQuery query, Executor readAhead, ReadLimits limits, long deadline) {
        this.query = query;
        this.readAhead = readAhead;
        this.limits = limits;
        this.deadline = deadline;
    }

    /** A batch's series: from {@code start}, {@code size} of them, their samples in {@code samples}. */
    private record Batch(int start, int size, List<SeriesSamples> samples) {
    }

    /** The next batch; false after the last. */
    boolean next() throws IOException {
        Batch batch = following != null ? await(following) : unread < query.series().size()
                ? read(new ArrayList<>()) : null;
        following = null;
        if (batch == null) {
            return false;
        }
        // the batch answered before is done with: its buffers take the one after this
        List<SeriesSamples> free = current == null ? new ArrayList<>() : current.samples;
        current = batch;
        if (unread < query.series().size()) {
            following = CompletableFuture.supplyAsync(() -> {
                try {
                    return read(free);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, readAhead);
        }
        return true;
    }

    /** Waits for a batch read ahead: an answer given up does not leave it reading into memory no one counts. */
    @Override
    public void close() {
        if (following != null) {
            try {
                following.join();
            } catch (RuntimeException ignored) {
                // its failure no longer matters
            }
        }
    }

    /** The batch's series: none before the first. */
    int size() {
        return current == null ? 0 : current.size;
    }

    /** The batch's series i's place among the query's. */
    int index(int i) {
        return current.start + i;
    }

    SelectedSeries series(int i) {
        return query.series().get(current.start + i);
    }

    SeriesSamples samples(int i) {
        return current.samples.get(i);
    }

    /** What another thread reads, waited for until the request's deadline. */
    private <T> T await(CompletableFuture<T> reading) throws IOException {
        try {
            return reading.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            limits.checkTime(deadline);
            return await(reading);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (failed.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failed.getCause() instanceof Error error) {
                throw error;
            }
            throw new IOException(failed.getCause());
        }
    }

    /** The batch from {@code unread} on, read into {@code buffers}. */
    private Batch read(List<SeriesSamples> buffers) throws IOException {
        int start = unread;
        long rows = 0;
        while (unread < query.series().size() && (unread == start || rows < BATCH_ROWS)) {
            rows += query.series().get(unread++).rows();
        }
        int size = unread - start;
        while (buffers.size() < size) {
            buffers.add(new SeriesSamples());
        }
        // the batch's rows day by day, each day's in its file's order, with the series they belong to
        Map<java.time.LocalDate, List<Owned>> byDay = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            buffers.get(i).clear(query.series().get(start + i).rows());
            for (SelectedSeries.Day day : query.series().get(start + i).days()) {
                byDay.computeIfAbsent(day.day().day, d -> new ArrayList<>()).add(new Owned(day, buffers.get(i)));
            }
        }
        // the days' pages fetched at once (on S3 their GETs wait in parallel), then decoded in time order
        List<CompletableFuture<DayRows>> days = new ArrayList<>();
        for (List<Owned> day : byDay.values()) {
            day.sort(Comparator.comparingLong(owned -> owned.day.rows().firstRow()));
            days.add(CompletableFuture.supplyAsync(() -> {
                try {
                    limits.checkTime(deadline);
                    return fetch(day.get(0).day.day(), day);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, FETCHES));
        }
        for (CompletableFuture<DayRows> day : days) {
            decode(await(day));
        }
        return new Batch(start, size, buffers);
    }

    private record Owned(SelectedSeries.Day day, SeriesSamples samples) {
    }

    /** A row group's rows of the batch's series, whose they are, and the pages that hold them. */
    private record GroupRows(int group, long[] ranges, List<SeriesSamples> owners, boolean floatsOnly,
                             PageReadStore pages) {
    }

    /** A day's rows of the batch, their pages fetched (ranged GETs on S3), to be decoded in the day's turn. */
    private record DayRows(CompactedDay day, List<GroupRows> groups) {
    }

    private static List<ColumnDescriptor> timeAndValue(MessageType schema) {
        return List.of(schema.getColumnDescription(new String[] {"time"}),
                schema.getColumnDescription(new String[] {"value"}));
    }

    private static List<ColumnDescriptor> allColumns(MessageType schema) {
        List<ColumnDescriptor> floats = timeAndValue(schema);
        return List.of(floats.get(0), floats.get(1), schema.getColumnDescription(new String[] {"kind"}),
                schema.getColumnDescription(new String[] {"line"}));
    }

    private static DayRows fetch(CompactedDay day, List<Owned> series) throws IOException {
        ParquetFile file = day.file;
        List<GroupRows> groups = new ArrayList<>();
        for (int group = 0; group < day.rowGroups(); group++) {
            long groupStart = day.groupStart(group);
            long groupEnd = day.groupStart(group + 1);
            List<long[]> ranges = new ArrayList<>();
            List<SeriesSamples> owners = new ArrayList<>();
            for (Owned owned : series) {
                long from = Math.max(owned.day.rows().firstRow(), groupStart);
                long to = Math.min(owned.day.rows().firstRow() + owned.day.rows().rows(), groupEnd);
                if (from < to) {
                    ranges.add(new long[] {from - groupStart, to - groupStart});
                    owners.add(owned.samples);
                }
            }
            if (!ranges.isEmpty()) {
                long[] flat = new long[ranges.size() * 2];
                for (int r = 0; r < ranges.size(); r++) {
                    flat[2 * r] = ranges.get(r)[0];
                    flat[2 * r + 1] = ranges.get(r)[1];
                }
                // a row group of float samples only (no histogram, exemplar or metadata row): two columns to read
                boolean floatsOnly = day.floatsOnly(group);
                groups.add(new GroupRows(group, flat, owners, floatsOnly, file.rows(group, flat,
                        floatsOnly ? timeAndValue(file.schema()) : allColumns(file.schema()))));
            }
        }
        return new DayRows(day, groups);
    }

    private void decode(DayRows rows) throws IOException {
        ParquetFile file = rows.day.file;
        MessageType schema = file.schema();
        List<ColumnDescriptor> floats = timeAndValue(schema);
        for (GroupRows group : rows.groups) {
            if (!group.floatsOnly || !floatColumns.read(group.pages, floats.get(0), floats.get(1), group.ranges,
                    group.owners, query.start(), query.end())) {
                List<ColumnDescriptor> all = allColumns(schema);
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(group.floatsOnly
                        ? file.rows(group.group, group.ranges, all) : group.pages,
                        new GroupRecordConverter(schema).getRootConverter(), schema, file.createdBy());
                read(store, all, group.ranges, group.owners);
            }
        }
    }

    private void read(ColumnReadStoreImpl store, List<ColumnDescriptor> columns, long[] ranges,
                      List<SeriesSamples> owners) {
        ColumnReader time = store.getColumnReader(columns.get(0));
        ColumnReader value = store.getColumnReader(columns.get(1));
        ColumnReader kind = store.getColumnReader(columns.get(2));
        ColumnReader line = store.getColumnReader(columns.get(3));
        long start = query.start();
        long end = query.end();
        for (int r = 0; r < owners.size(); r++) {
            SeriesSamples samples = owners.get(r);
            for (long row = ranges[2 * r]; row < ranges[2 * r + 1]; row++) {
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
                    samples.add(t, v);
                } else if (json != null) {
                    byte[] bytes = json.getBytes();
                    samples.histograms.add(lines.read(bytes, 0, bytes.length).histogram());
                }
            }
        }
    }
}
