package io.github.promkinesis.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An answer made as {@link AnswerSink} sends it: the queries' series, a batch at a time ({@link SeriesBatches}),
 * each turned into bytes by the answer type when the bytes before are taken, so memory holds two batches (one
 * answered, one read ahead) and the bytes of one series, whatever the answer's size. A failure while it is read (READ_TIMEOUT, a day unreadable)
 * cuts the answer off, which the client reports as an error: its status was sent already.
 */
abstract class SeriesStream extends InputStream {

    private final Iterator<SelectedQuery> queries;
    private final ReadLimits limits;
    private final long deadline;
    private final Executor readAhead;
    private SeriesBatches batches;
    /** The next series of the batch; the batch's size when it is done. */
    private int nextInBatch;
    private int queryIndex = -1;
    private boolean ended;
    private boolean firstBatchRead;
    private byte[] buffer = new byte[0];
    private int length;
    private int position;

    SeriesStream(List<SelectedQuery> queries, ReadLimits limits, long deadline, Executor readAhead) {
        this.queries = queries.iterator();
        this.limits = limits;
        this.deadline = deadline;
        this.readAhead = readAhead;
    }

    /** Sent, or given up: a batch still being read ahead is waited for. */
    @Override
    public void close() {
        if (batches != null) {
            batches.close();
        }
    }

    /** A query begins (its index in the request). */
    abstract void query(int index) throws IOException;

    /** The next series of the query, with its samples in the query's range. */
    abstract void series(SelectedSeries series, SeriesSamples samples) throws IOException;

    /** After the last series of the last query. */
    abstract void end() throws IOException;

    /** What ends an answer cut off by a failure so that its client refuses it, never taking it for whole. */
    abstract byte[] cutOff();

    /** Bytes for the reader, after those given before. */
    final void give(byte[] bytes, int offset, int count) {
        if (length + count > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(length + count, 2 * buffer.length));
        }
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] into, int offset, int count) throws IOException {
        while (position == length) {
            position = 0;
            length = 0;
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(count, length - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    /**
     * Reads the first batch now, in the route: what fails there (a day compacted again, READ_TIMEOUT, S3) fails
     * the request with its status, before the answer's 200 is sent. Every batch reads each day its series have.
     */
    final void readFirstBatch() throws IOException {
        while (!firstBatchRead && advance()) {
            // on to the first batch, or the end
        }
    }

    /** The next step's bytes into the buffer (maybe none); false once everything was given. */
    private boolean advance() throws IOException {
        if (ended) {
            return false;
        }
        if (batches != null && nextInBatch < batches.size()) {
            limits.checkTime(deadline);
            SeriesSamples samples = batches.samples(nextInBatch);
            series(batches.series(nextInBatch++), samples);
        } else if (batches != null && batches.next()) {
            nextInBatch = 0;
            firstBatchRead = true;
        } else if (queries.hasNext()) {
            if (batches != null) {
                batches.close();
            }
            batches = new SeriesBatches(queries.next(), readAhead, limits, deadline);
            nextInBatch = 0;
            query(++queryIndex);
        } else {
            end();
            ended = true;
            firstBatchRead = true;
        }
        return true;
    }
}
