package io.github.promkinesis.read;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.ReadResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import org.xerial.snappy.Snappy;

/**
 * A SAMPLES answer, a snappy block of one {@link ReadResponse}, made as it is read: the block's length comes first,
 * so {@link SamplesPlan} sizes the answer beforehand, then each series' protobuf, written by hand (a message object
 * per sample would cost more than reading it), is compressed 64 KiB at a time, the pieces' elements one block.
 * Bytes that would not match the plan cut the answer off, with an error: never a wrong answer.
 */
final class SamplesStream extends SeriesStream {

    private static final int PIECE = 1 << 16;
    private static final VarHandle LITTLE_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final SamplesPlan plan;
    private final ReadMetrics metrics;
    private final Pending pending = new Pending();
    private final CodedOutputStream out = CodedOutputStream.newInstance(pending, 1 << 16);
    private final byte[] compressed = new byte[Snappy.maxCompressedLength(PIECE)];
    private int query = -1;
    private long queryStart;

    SamplesStream(List<SelectedQuery> queries, SamplesPlan plan, ReadLimits limits, long deadline, Executor readAhead,
                  ReadMetrics metrics) throws IOException {
        super(queries, limits, deadline, readAhead);
        this.plan = plan;
        this.metrics = metrics;
        byte[] preamble = new byte[5];
        CodedOutputStream length = CodedOutputStream.newInstance(preamble);
        length.writeUInt32NoTag(Math.toIntExact(plan.total()));
        give(preamble, 0, preamble.length - length.spaceLeft());
    }

    @Override
    void query(int index) throws IOException {
        endQuery();
        query = index;
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(Math.toIntExact(plan.query(index)));
        out.flush();
        queryStart = pending.produced();
    }

    @Override
    void series(SelectedSeries series, SeriesSamples samples) throws IOException {
        if (samples.count == 0 && samples.histograms.isEmpty()) {
            return;
        }
        write(labels(series), samples);
        metrics.answered(samples.count);
        pending.compress(false);
    }

    @Override
    void end() throws IOException {
        endQuery();
        out.flush();
        pending.compress(true);
        if (pending.produced() != plan.total()) {
            throw new IOException("answer of " + pending.produced() + " bytes, not the " + plan.total() + " planned");
        }
    }

    @Override
    byte[] cutOff() {
        // the block's length, sent first, is more or less than its content then: snappy refuses it
        return new byte[0];
    }

    private void endQuery() throws IOException {
        out.flush();
        long answered = pending.produced() - queryStart;
        if (query >= 0 && answered != plan.query(query)) {
            throw new IOException("query " + query + " answered in " + answered + " bytes, not the "
                    + plan.query(query) + " planned");
        }
    }

    /** Uncompressed bytes waiting for a whole piece, compressed from where they are. */
    private final class Pending extends ByteArrayOutputStream {
        /** Bytes compressed and given already. */
        private long compressed;

        Pending() {
            super(2 * PIECE);
        }

        long produced() {
            return compressed + count;
        }

        /** A Sample as field 2 of its TimeSeries: its length, value (field 1, fixed64), timestamp (field 2). */
        void sample(long time, double value) {
            if (count + 32 > buf.length) {
                buf = Arrays.copyOf(buf, 2 * buf.length);
            }
            buf[count++] = 0x12;
            buf[count++] = (byte) SamplesPlan.sampleSize(time);
            buf[count++] = 0x09;
            LITTLE_ENDIAN.set(buf, count, Double.doubleToRawLongBits(value));
            count += 8;
            buf[count++] = 0x10;
            for (long rest = time; ; rest >>>= 7) {
                if ((rest & ~0x7fL) == 0) {
                    buf[count++] = (byte) rest;
                    break;
                }
                buf[count++] = (byte) (rest & 0x7f | 0x80);
            }
        }

        /** Whole pieces as snappy elements (a block's, without its length); the rest too when {@code all}. */
        void compress(boolean all) throws IOException {
            int from = 0;
            while (count - from >= PIECE || all && count > from) {
                int length = Math.min(PIECE, count - from);
                int size = Snappy.compress(buf, from, length, SamplesStream.this.compressed, 0);
                int preamble = CodedOutputStream.computeUInt32SizeNoTag(length);
                give(SamplesStream.this.compressed, preamble, size - preamble);
                from += length;
            }
            System.arraycopy(buf, from, buf, 0, count - from);
            count -= from;
            compressed += from;
        }
    }

    /** A TimeSeries (labels 1, samples 2, histograms 4) as field 1 of its QueryResult. */
    private void write(List<Label> labels, SeriesSamples samples) throws IOException {
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(Math.toIntExact(SamplesPlan.seriesContent(labels, samples, 0)));
        for (Label label : labels) {
            out.writeMessage(1, label);
        }
        out.flush();
        // by hand: most of the answer's bytes, and CodedOutputStream's checks cost more than them
        for (int i = 0; i < samples.count; i++) {
            pending.sample(samples.times[i], samples.values[i]);
        }
        for (Histogram histogram : samples.histograms) {
            out.writeMessage(4, histogram);
        }
        out.flush();
    }

    static List<Label> labels(SelectedSeries series) {
        List<Label> labels = new ArrayList<>(series.labelNames().length);
        for (int i = 0; i < series.labelNames().length; i++) {
            labels.add(Label.newBuilder().setName(series.labelNames()[i]).setValue(series.labelValues()[i]).build());
        }
        return labels;
    }
}
