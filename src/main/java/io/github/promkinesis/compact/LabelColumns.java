package io.github.promkinesis.compact;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnWriteStoreV1;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * The labels map's two columns, written by a column store of their own on a thread of their own: two values and
 * two levels a label each row, they were half of the encoding thread's work (docs/journal.md, "Compact"). The
 * caller hands over a row's labels; rows of the same labels go over as one run. Everything else about the row
 * group (its pages, its end) stays the caller's: {@link #endRowGroup()} returns once every row handed over is in
 * the pages. The same rows give the same pages, whatever the threads' timing.
 */
final class LabelColumns implements Closeable {

    private static final int RUNS_AHEAD = 1024;
    private static final Object FLUSH = new Object();

    private final MessageType schema;
    private final ParquetProperties properties;
    private final BlockingQueue<Object> commands = new ArrayBlockingQueue<>(RUNS_AHEAD);
    private final Semaphore flushed = new Semaphore(0);
    private final Thread writer;
    private volatile Throwable failure;
    /** The run being gathered: labels copied at its first row, compared by identity after. */
    private Binary[] names;
    private Binary[] values;
    private int count = -1;
    private int rows;

    private record Start(PageWriteStore pages) {
    }

    private record Run(Binary[] names, Binary[] values, int count, int rows) {
    }

    LabelColumns(MessageType schema, ParquetProperties properties) {
        this.schema = schema;
        this.properties = properties;
        writer = new Thread(this::write, "compact-labels");
        writer.setDaemon(true);
        writer.start();
    }

    /** A new row group, its pages in {@code pages}. */
    void startRowGroup(PageWriteStore pages) throws IOException {
        hand(new Start(pages));
    }

    /** A row's labels: the first {@code count} of each array, constant binaries (the arrays may be reused). */
    void row(Binary[] labelNames, Binary[] labelValues, int labelCount) throws IOException {
        if (labelCount == count && same(labelNames, names, count) && same(labelValues, values, count)) {
            rows++;
            return;
        }
        endRun();
        names = Arrays.copyOf(labelNames, labelCount);
        values = Arrays.copyOf(labelValues, labelCount);
        count = labelCount;
        rows = 1;
    }

    /** Waits until every row handed over is written, its last pages included. */
    void endRowGroup() throws IOException {
        endRun();
        count = -1;
        hand(FLUSH);
        try {
            while (!flushed.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                failed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the labels were written", e);
        }
        failed();
    }

    @Override
    public void close() {
        writer.interrupt();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean same(Binary[] row, Binary[] run, int count) {
        for (int i = 0; i < count; i++) {
            if (row[i] != run[i]) {
                return false;
            }
        }
        return true;
    }

    private void endRun() throws IOException {
        if (rows > 0) {
            hand(new Run(names, values, count, rows));
            rows = 0;
        }
    }

    private void hand(Object command) throws IOException {
        try {
            while (!commands.offer(command, 100, TimeUnit.MILLISECONDS)) {
                failed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the labels were written", e);
        }
        failed();
    }

    private void failed() throws IOException {
        if (failure != null) {
            throw ThreadFailure.rethrown(failure);
        }
    }

    private void write() {
        ColumnWriteStoreV1 store = null;
        ColumnWriter keys = null;
        ColumnWriter labelValues = null;
        try {
            while (true) {
                Object command = commands.take();
                if (command instanceof Start start) {
                    store = new ColumnWriteStoreV1(schema, start.pages(), properties);
                    keys = store.getColumnWriter(schema.getColumnDescription(new String[] {"labels", "key_value", "key"}));
                    labelValues = store.getColumnWriter(
                            schema.getColumnDescription(new String[] {"labels", "key_value", "value"}));
                } else if (command instanceof Run run) {
                    for (int row = 0; row < run.rows(); row++) {
                        if (run.count() == 0) {
                            keys.writeNull(0, 0);
                            labelValues.writeNull(0, 0);
                        }
                        for (int i = 0; i < run.count(); i++) {
                            // labels (optional) > key_value (repeated) > key (required) | value (optional)
                            keys.write(run.names()[i], i == 0 ? 0 : 1, 2);
                            labelValues.write(run.values()[i], i == 0 ? 0 : 1, 3);
                        }
                        store.endRecord();
                    }
                } else {
                    store.flush();
                    flushed.release();
                }
            }
        } catch (InterruptedException stopped) {
            // close(): the file is done or given up
        } catch (Throwable cause) {
            failure = cause;
            flushed.release();
        }
    }
}
