package io.github.promkinesis.read;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.QueryResult;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import io.github.promkinesis.protocol.prompb.ReadResponse;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

    public ReadAnswers(ReadLimits limits) {
        this.limits = limits;
    }

    @SuppressWarnings("unchecked")
    public void encode(Exchange exchange) throws IOException {
        List<SelectedQuery> queries = exchange.getMessage().getBody(List.class);
        long deadline = exchange.getProperty(ReadRequests.DEADLINE, Long.class);
        Message message = exchange.getMessage();
        // the answer carries none of the request's headers (platform-http echoes them: Content-Encoding included)
        message.removeHeaders("*");
        if (exchange.getProperty(ReadRequests.ANSWER) == ReadRequest.ResponseType.STREAMED_XOR_CHUNKS) {
            message.setHeader(Exchange.CONTENT_TYPE, STREAMED_TYPE);
            message.setBody(new Frames(queries, deadline));
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, SAMPLES_TYPE);
            message.setHeader("Content-Encoding", "snappy");
            message.setBody(Snappy.compress(samples(queries, deadline).toByteArray()));
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }

    private ReadResponse samples(List<SelectedQuery> queries, long deadline) throws IOException {
        ReadResponse.Builder response = ReadResponse.newBuilder();
        SeriesSamples samples = new SeriesSamples();
        long bytes = 0;
        for (SelectedQuery query : queries) {
            QueryResult.Builder result = QueryResult.newBuilder();
            for (SelectedSeries series : query.series()) {
                limits.checkTime(deadline);
                readSeries(series, query, samples);
                if (samples.count == 0 && samples.histograms.isEmpty()) {
                    continue;
                }
                TimeSeries.Builder answered = TimeSeries.newBuilder().addAllLabels(labels(series));
                for (int i = 0; i < samples.count; i++) {
                    answered.addSamples(Sample.newBuilder().setTimestamp(samples.times[i]).setValue(samples.values[i]));
                }
                answered.addAllHistograms(samples.histograms);
                TimeSeries built = answered.build();
                bytes += built.getSerializedSize();
                limits.checkBytes(bytes);
                result.addTimeseries(built);
            }
            response.addResults(result);
        }
        return response.build();
    }

    private static void readSeries(SelectedSeries series, SelectedQuery query, SeriesSamples samples) throws IOException {
        samples.clear();
        for (SelectedSeries.Day day : series.days()) {
            samples.read(day.day(), day.rows(), query.start(), query.end());
        }
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
        private final SeriesSamples samples = new SeriesSamples();
        private final CRC32C crc = new CRC32C();
        private final ByteArrayOutputStream frame = new ByteArrayOutputStream(MAX_FRAME_BYTES + 16);
        private SelectedQuery query;
        private Iterator<SelectedSeries> series = List.<SelectedSeries>of().iterator();
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
            while (!series.hasNext()) {
                if (!queries.hasNext()) {
                    return false;
                }
                query = queries.next();
                queryIndex++;
                series = query.series().iterator();
            }
            limits.checkTime(deadline);
            SelectedSeries next = series.next();
            readSeries(next, query, samples);
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
