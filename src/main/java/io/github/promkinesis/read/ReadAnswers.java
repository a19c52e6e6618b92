package io.github.promkinesis.read;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.xerial.snappy.Snappy;

/**
 * The {@code encode-answer} step: the selected series' samples as the answer type the client chose.
 * SAMPLES: one {@link ReadResponse}, snappy-compressed, held whole (up to READ_MAX_BYTES). STREAMED_XOR_CHUNKS:
 * frames written as the client reads them, one series per frame (a long series over several), each frame its
 * uvarint length, the big-endian CRC-32C of the message and a {@link ChunkedReadResponse} of at most
 * {@link #MAX_FRAME_BYTES}, the samples in Prometheus' XOR chunks of 120; memory holds one series at a time.
 */
public final class ReadAnswers {

    static final int MAX_FRAME_BYTES = 1 << 20;
    private static final String SAMPLES_TYPE = "application/x-protobuf";
    private static final String STREAMED_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    private final ReadLimits limits;
    private final ReadMetrics metrics;

    public ReadAnswers(ReadLimits limits, ReadMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    @SuppressWarnings("unchecked")
    public void encode(Exchange exchange) throws IOException {
        List<SelectedQuery> queries = exchange.getMessage().getBody(List.class);
        long deadline = exchange.getProperty(ReadRequests.DEADLINE, Long.class);
        Message message = exchange.getMessage();
        boolean streamed = exchange.getProperty(ReadRequests.ANSWER) == ReadRequest.ResponseType.STREAMED_XOR_CHUNKS;
        Object body = streamed ? new Frames(queries, deadline) : samples(queries, deadline);
        // the answer carries none of the request's headers (platform-http echoes them: Content-Encoding included);
        // a failure before here keeps them for its log line
        message.removeHeaders("*");
        message.setBody(body);
        if (streamed) {
            message.setHeader(Exchange.CONTENT_TYPE, STREAMED_TYPE);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, SAMPLES_TYPE);
            message.setHeader("Content-Encoding", "snappy");
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }

    /**
     * The ReadResponse, written as protobuf by hand into one buffer and compressed from it: a message object per
     * sample would cost more than reading it, and a copy per query or of the whole would double the memory a large
     * answer takes (about twice the answer at the peak, and its compressed copy). Fields are written whatever their
     * value (a parser takes a zero written as one left out); a QueryResult's length is a varint of five bytes,
     * patched once its series are written (parsers take a varint's needless continuation bytes).
     */
    private ByteBuffer samples(List<SelectedQuery> queries, long deadline) throws IOException {
        Answer response = new Answer();
        CodedOutputStream out = CodedOutputStream.newInstance(response, 1 << 16);
        for (SelectedQuery query : queries) {
            out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.flush();
            int lengthAt = response.size();
            response.write(new byte[5], 0, 5);
            SeriesBatches batches = new SeriesBatches(query);
            while (batches.next()) {
                for (int i = 0; i < batches.size(); i++) {
                    limits.checkTime(deadline);
                    SeriesSamples samples = batches.samples(i);
                    if (samples.count > 0 || !samples.histograms.isEmpty()) {
                        writeSeries(labels(batches.series(i)), samples, out);
                        metrics.answered(samples.count);
                        limits.checkBytes(response.size());
                    }
                }
            }
            out.flush();
            response.patchLength(lengthAt, response.size() - lengthAt - 5);
            limits.checkBytes(response.size());
        }
        out.flush();
        return response.snappy();
    }

    /** The answer's buffer, its bytes reachable without a copy. */
    private static final class Answer extends ByteArrayOutputStream {
        Answer() {
            super(1 << 16);
        }

        void patchLength(int at, int length) {
            for (int i = 0; i < 4; i++) {
                buf[at + i] = (byte) (length >>> 7 * i & 0x7f | 0x80);
            }
            buf[at + 4] = (byte) (length >>> 28 & 0x7f);
        }

        ByteBuffer snappy() throws IOException {
            byte[] compressed = new byte[Snappy.maxCompressedLength(count)];
            return ByteBuffer.wrap(compressed, 0, Snappy.compress(buf, 0, count, compressed, 0));
        }
    }

    /** A TimeSeries (labels 1, samples 2, histograms 4) as field 1 of its QueryResult. */
    private static void writeSeries(List<Label> labels, SeriesSamples samples, CodedOutputStream out)
            throws IOException {
        int size = 0;
        for (Label label : labels) {
            size += CodedOutputStream.computeMessageSize(1, label);
        }
        for (int i = 0; i < samples.count; i++) {
            int sample = sampleSize(samples.times[i]);
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;
        }
        for (Histogram histogram : samples.histograms) {
            size += CodedOutputStream.computeMessageSize(4, histogram);
        }
        out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
        for (Label label : labels) {
            out.writeMessage(1, label);
        }
        for (int i = 0; i < samples.count; i++) {
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(sampleSize(samples.times[i]));
            out.writeDouble(1, samples.values[i]);
            out.writeInt64(2, samples.times[i]);
        }
        for (Histogram histogram : samples.histograms) {
            out.writeMessage(4, histogram);
        }
    }

    /** A Sample's size: value (field 1, fixed 64 bits) and timestamp (field 2, varint). */
    private static int sampleSize(long time) {
        return 1 + 8 + 1 + CodedOutputStream.computeInt64SizeNoTag(time);
    }

    private static List<Label> labels(SelectedSeries series) {
        List<Label> labels = new ArrayList<>(series.labelNames().length);
        for (int i = 0; i < series.labelNames().length; i++) {
            labels.add(Label.newBuilder().setName(series.labelNames()[i]).setValue(series.labelValues()[i]).build());
        }
        return labels;
    }

    /** The streamed answer, made a frame at a time as the HTTP server reads it. */
    private final class Frames extends InputStream {
        private final Iterator<SelectedQuery> queries;
        private final long deadline;
        private final CRC32C crc = new CRC32C();
        private final ByteArrayOutputStream frame = new ByteArrayOutputStream(MAX_FRAME_BYTES + 16);
        private SeriesBatches batches;
        /** The next series of the batch; the batch's size when it is done. */
        private int nextInBatch;
        private int queryIndex = -1;
        private byte[] buffer = new byte[0];
        private int position;

        Frames(List<SelectedQuery> queries, long deadline) {
            this.queries = queries.iterator();
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            while (position == buffer.length) {
                if (!nextSeries()) {
                    return -1;
                }
            }
            int n = Math.min(length, buffer.length - position);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }

        /** The next series' frames into the buffer; false after the last. */
        private boolean nextSeries() throws IOException {
            while (batches == null || nextInBatch == batches.size()) {
                if (batches != null && batches.next()) {
                    nextInBatch = 0;
                    continue;
                }
                if (!queries.hasNext()) {
                    return false;
                }
                batches = new SeriesBatches(queries.next());
                queryIndex++;
                nextInBatch = batches.size();
            }
            limits.checkTime(deadline);
            SelectedSeries next = batches.series(nextInBatch);
            SeriesSamples samples = batches.samples(nextInBatch++);
            frame.reset();
            List<Label> labels = labels(next);
            ChunkedSeries.Builder chunks = ChunkedSeries.newBuilder().addAllLabels(labels);
            int labelBytes = chunks.build().getSerializedSize();
            int size = labelBytes;
            for (int from = 0; from < samples.count; from += XorChunk.MAX_SAMPLES) {
                int to = Math.min(samples.count, from + XorChunk.MAX_SAMPLES);
                Chunk chunk = Chunk.newBuilder().setMinTimeMs(samples.times[from]).setMaxTimeMs(samples.times[to - 1])
                        .setType(Chunk.Encoding.XOR)
                        .setData(ByteString.copyFrom(XorChunk.encode(samples.times, samples.values, from, to))).build();
                int chunkBytes = CodedOutputStream.computeMessageSize(2, chunk);
                if (size + chunkBytes > MAX_FRAME_BYTES - 32 && chunks.getChunksCount() > 0) {
                    // a long series goes on in the next frame, before any other series begins
                    writeFrame(chunks.build());
                    chunks = ChunkedSeries.newBuilder().addAllLabels(labels);
                    size = labelBytes;
                }
                chunks.addChunks(chunk);
                size += chunkBytes;
            }
            if (chunks.getChunksCount() > 0) {
                writeFrame(chunks.build());
                metrics.answered(samples.count);
            }
            buffer = frame.toByteArray();
            position = 0;
            return true;
        }

        private void writeFrame(ChunkedSeries series) throws IOException {
            byte[] message = ChunkedReadResponse.newBuilder().addChunkedSeries(series).setQueryIndex(queryIndex)
                    .build().toByteArray();
            CodedOutputStream header = CodedOutputStream.newInstance(frame, 16);
            header.writeUInt32NoTag(message.length);
            header.flush();
            crc.reset();
            crc.update(message);
            int sum = (int) crc.getValue();
            frame.write(sum >>> 24);
            frame.write(sum >>> 16);
            frame.write(sum >>> 8);
            frame.write(sum);
            frame.write(message);
        }
    }
}
