package io.github.promkinesis.compact;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.parquet.io.api.Binary;

/**
 * A day's rows made on a thread of their own (the runs merged, each line scanned: {@link TableRows}) while the
 * caller encodes them: the two halves of writing a day take about as long each, and the day's reading threads are
 * done by then, so this one uses the second core (docs/journal.md, "Compact"). Rows go over in batches, copied out
 * of the merge's buffers, which its next line reuses; a series' name and labels stay the same objects from row to
 * row, as the Parquet writer and the series index expect.
 */
final class RowsAhead implements AutoCloseable {

    private static final int BATCH = 4096;
    private static final int BATCHES_AHEAD = 4;

    private final TableRows.Rows rows;
    private final BlockingQueue<Batch> made = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES_AHEAD + 2);
    private final Thread maker;
    private final CompactedRow row = new CompactedRow();
    private Batch current;
    private int next;

    RowsAhead(TableRows.Rows rows) {
        this.rows = rows;
        maker = new Thread(this::make, "compact-rows");
        maker.setDaemon(true);
        maker.start();
    }

    /** A series' columns, shared by its rows. */
    private record Series(Binary name, Binary[] labelNames, Binary[] labelValues, long seriesId) {
    }

    private static final class Batch {
        final long[] time = new long[BATCH];
        final double[] value = new double[BATCH];
        final boolean[] hasValue = new boolean[BATCH];
        final boolean[] stale = new boolean[BATCH];
        final Series[] series = new Series[BATCH];
        final Binary[] kind = new Binary[BATCH];
        final byte[][] line = new byte[BATCH][];
        int size;
        /** The rows end with this batch; with failure set, they ended in it. */
        boolean last;
        Throwable failure;
    }

    /** The next row, or null after the last; valid until the next. */
    CompactedRow next() throws IOException {
        while (current == null || next == current.size) {
            if (current != null && current.last) {
                return null;
            }
            if (current != null) {
                free.offer(current);
            }
            try {
                current = made.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the rows were made", e);
            }
            next = 0;
            if (current.failure != null) {
                throw ThreadFailure.rethrown(current.failure);
            }
        }
        int i = next++;
        Series series = current.series[i];
        row.name = series.name;
        row.labelNames = series.labelNames;
        row.labelValues = series.labelValues;
        row.labelCount = series.labelNames.length;
        row.seriesId = series.seriesId;
        row.time = current.time[i];
        row.value = current.value[i];
        row.hasValue = current.hasValue[i];
        row.stale = current.stale[i];
        row.kind = current.kind[i];
        byte[] line = current.line[i];
        row.line = line;
        row.lineOffset = 0;
        row.lineLength = line == null ? 0 : line.length;
        return row;
    }

    /** Stops the maker (a failed encoding leaves it waiting for room) and closes the merge. */
    @Override
    public void close() throws IOException {
        maker.interrupt();
        try {
            maker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rows.close();
    }

    private void make() {
        Series series = null;
        try {
            while (true) {
                Batch batch = free.poll();
                batch = batch == null ? new Batch() : batch;
                batch.size = 0;
                for (CompactedRow made; batch.size < BATCH; batch.size++) {
                    if ((made = rows.next()) == null) {
                        batch.last = true;
                        break;
                    }
                    // a new series comes with a new name object (TableRows): its labels are copied once
                    if (series == null || made.name != series.name) {
                        series = new Series(made.name, Arrays.copyOf(made.labelNames, made.labelCount),
                                Arrays.copyOf(made.labelValues, made.labelCount), made.seriesId);
                    }
                    int i = batch.size;
                    batch.series[i] = series;
                    batch.time[i] = made.time;
                    batch.value[i] = made.value;
                    batch.hasValue[i] = made.hasValue;
                    batch.stale[i] = made.stale;
                    batch.kind[i] = made.kind;
                    batch.line[i] = made.line == null ? null
                            : Arrays.copyOfRange(made.line, made.lineOffset, made.lineOffset + made.lineLength);
                }
                made.put(batch);
                if (batch.last) {
                    return;
                }
            }
        } catch (InterruptedException stopped) {
            // close(): no one takes the rows any more
        } catch (Throwable failure) {
            Batch failed = new Batch();
            failed.last = true;
            failed.failure = failure;
            made.clear(); // room for it: the rows before the failure are of no use
            made.offer(failed);
        }
    }
}
