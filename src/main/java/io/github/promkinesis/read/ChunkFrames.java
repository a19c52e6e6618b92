package io.github.promkinesis.read;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.github.promkinesis.http.ThrottledLog;
import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.protocol.prompb.Label;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;
import org.slf4j.LoggerFactory;

/**
 * A STREAMED_XOR_CHUNKS answer: one series per frame (a long series over several, before the next begins), each
 * frame its uvarint length, the big-endian CRC-32C of the message and a {@link ChunkedReadResponse} of at most
 * {@link #MAX_FRAME_BYTES}, the samples in Prometheus' XOR chunks of {@link XorChunk#MAX_SAMPLES}.
 */
final class ChunkFrames extends SeriesStream {

    static final int MAX_FRAME_BYTES = 1 << 20;
    private static final ThrottledLog LOG = new ThrottledLog(LoggerFactory.getLogger(ChunkFrames.class));

    private final ReadMetrics metrics;
    private final CRC32C crc = new CRC32C();
    private int queryIndex;

    ChunkFrames(List<SelectedQuery> queries, ReadLimits limits, long deadline, Executor readAhead,
                ReadMetrics metrics) {
        super(queries, limits, deadline, readAhead);
        this.metrics = metrics;
    }

    @Override
    void query(int index) {
        queryIndex = index;
    }

    @Override
    void series(SelectedSeries series, SeriesSamples samples) throws IOException {
        List<Label> labels = SamplesStream.labels(series);
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
                frame(chunks.build());
                chunks = ChunkedSeries.newBuilder().addAllLabels(labels);
                size = labelBytes;
            }
            chunks.addChunks(chunk);
            size += chunkBytes;
        }
        if (chunks.getChunksCount() > 0) {
            frame(chunks.build());
            metrics.answered(samples.count);
        }
        if (!samples.histograms.isEmpty()) {
            // no histogram chunks yet: said, not left out silently (SAMPLES answers carry them)
            metrics.histogramsNotStreamed(samples.histograms.size());
            LOG.log(false, "histograms not streamed", "native histograms of " + labels + " left out of a"
                    + " STREAMED_XOR_CHUNKS answer (" + samples.histograms.size() + "): only SAMPLES answers carry them");
        }
    }

    @Override
    void end() {
        // frames need no ending
    }

    @Override
    byte[] cutOff() {
        // a frame whose checksum does not match, which the client's reader refuses: an answer cut off between two
        // frames would read as a whole one
        crc.reset();
        crc.update(0);
        int wrong = ~(int) crc.getValue();
        return new byte[] {1, (byte) (wrong >>> 24), (byte) (wrong >>> 16), (byte) (wrong >>> 8), (byte) wrong, 0};
    }

    private void frame(ChunkedSeries series) throws IOException {
        byte[] message = ChunkedReadResponse.newBuilder().addChunkedSeries(series).setQueryIndex(queryIndex)
                .build().toByteArray();
        byte[] head = new byte[9];
        CodedOutputStream header = CodedOutputStream.newInstance(head);
        header.writeUInt32NoTag(message.length);
        crc.reset();
        crc.update(message);
        int sum = (int) crc.getValue();
        header.writeFixed32NoTag(Integer.reverseBytes(sum)); // big-endian, where protobuf's fixed32 is little
        give(head, 0, head.length - header.spaceLeft());
        give(message, 0, message.length);
    }
}
