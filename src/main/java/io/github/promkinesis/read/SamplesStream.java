package io.github.promkinesis.read;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.ReadResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * A SAMPLES answer, a snappy block of one {@link ReadResponse}, made as it is read: the block's length comes first,
 * so {@link SamplesPlan} sizes the answer beforehand, then each series' protobuf, written by hand (a message object
 * per sample would cost more than reading it), is compressed 64 KiB at a time, the pieces' elements one block.
 * Bytes that would not match the plan cut the answer off, with an error: never a wrong answer.
 */
final class SamplesStream extends SeriesStream {

    private static final int PIECE = 1 << 16;

    private final SamplesPlan plan;
    private final ReadMetrics metrics;
    private final Pending pending = new Pending();
    private final CodedOutputStream out = CodedOutputStream.newInstance(pending, 1 << 12);
    private final byte[] compressed = new byte[Snappy.maxCompressedLength(PIECE)];
    private int query = -1;
    private long queryStart;

    SamplesStream(List<SelectedQuery> queries, SamplesPlan plan, ReadLimits limits, long deadline, ReadMetrics metrics)
            throws IOException {
        super(queries, limits, deadline);
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
        queryStart = out.getTotalBytesWritten();
    }

    @Override
    void series(SelectedSeries series, SeriesSamples samples) throws IOException {
        if (samples.count == 0 && samples.histograms.isEmpty()) {
            return;
        }
        write(labels(series), samples, out);
        metrics.answered(samples.count);
        out.flush();
        pending.compress(false);
    }

    @Override
    void end() throws IOException {
        endQuery();
        out.flush();
        pending.compress(true);
        if (out.getTotalBytesWritten() != plan.total()) {
            throw new IOException("answer of " + out.getTotalBytesWritten() + " bytes, not the " + plan.total()
                    + " planned");
        }
    }

    private void endQuery() throws IOException {
        long answered = out.getTotalBytesWritten() - queryStart;
        if (query >= 0 && answered != plan.query(query)) {
            throw new IOException("query " + query + " answered in " + answered + " bytes, not the "
                    + plan.query(query) + " planned");
        }
    }

    /** Uncompressed bytes waiting for a whole piece, compressed from where they are. */
    private final class Pending extends ByteArrayOutputStream {
        Pending() {
            super(2 * PIECE);
        }

        /** Whole pieces as snappy elements (a block's, without its length); the rest too when {@code all}. */
        void compress(boolean all) throws IOException {
            int from = 0;
            while (count - from >= PIECE || all && count > from) {
                int length = Math.min(PIECE, count - from);
                int size = Snappy.compress(buf, from, length, compressed, 0);
                int preamble = CodedOutputStream.computeUInt32SizeNoTag(length);
                give(compressed, preamble, size - preamble);
                from += length;
            }
            System.arraycopy(buf, from, buf, 0, count - from);
            count -= from;
        }
    }

    /** A TimeSeries (labels 1, samples 2, histograms 4) as field 1 of its QueryResult. */
    static void write(List<Label> labels, SeriesSamples samples, CodedOutputStream out) throws IOException {
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(Math.toIntExact(SamplesPlan.seriesContent(labels, samples, 0)));
        for (Label label : labels) {
            out.writeMessage(1, label);
        }
        for (int i = 0; i < samples.count; i++) {
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(SamplesPlan.sampleSize(samples.times[i]));
            out.writeDouble(1, samples.values[i]);
            out.writeInt64(2, samples.times[i]);
        }
        for (Histogram histogram : samples.histograms) {
            out.writeMessage(4, histogram);
        }
    }

    static List<Label> labels(SelectedSeries series) {
        List<Label> labels = new ArrayList<>(series.labelNames().length);
        for (int i = 0; i < series.labelNames().length; i++) {
            labels.add(Label.newBuilder().setName(series.labelNames()[i]).setValue(series.labelValues()[i]).build());
        }
        return labels;
    }
}
