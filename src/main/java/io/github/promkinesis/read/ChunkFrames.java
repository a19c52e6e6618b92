package io.github.promkinesis.read;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.protocol.prompb.Chunk;
import io.github.promkinesis.protocol.prompb.ChunkedReadResponse;
import io.github.promkinesis.protocol.prompb.ChunkedSeries;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.zip.CRC32C;

/**
 * A STREAMED_XOR_CHUNKS answer: one series per frame (a long series over several, before the next begins), each
 * frame its uvarint length, the big-endian CRC-32C of the message and a {@link ChunkedReadResponse} of at most
 * {@link #MAX_FRAME_BYTES}, float samples in Prometheus' XOR chunks of {@link XorChunk#MAX_SAMPLES}, native
 * histograms in its histogram chunks ({@link HistogramChunk}).
 */
final class ChunkFrames extends SeriesStream {

    static final int MAX_FRAME_BYTES = 1 << 20;

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
        for (Chunk chunk : chunks(samples)) {
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
    }

    /**
     * The series' chunks in time order: its float samples in XOR chunks, its histograms in histogram chunks, a new
     * chunk where one kind follows the other (a metric that changed its type). A histogram at the time of a float
     * sample, or not after the histogram before, is left out: chunks never overlap.
     */
    private static List<Chunk> chunks(SeriesSamples samples) {
        List<Histogram> histograms = new ArrayList<>(samples.histograms.size());
        int f = 0;
        for (Histogram histogram : samples.histograms) {
            long time = histogram.getTimestamp();
            while (f < samples.count && samples.times[f] < time) {
                f++;
            }
            boolean afterLast = histograms.isEmpty() || time > histograms.get(histograms.size() - 1).getTimestamp();
            if (afterLast && (f == samples.count || samples.times[f] != time)) {
                histograms.add(histogram);
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        f = 0;
        int h = 0;
        while (f < samples.count || h < histograms.size()) {
            if (h == histograms.size() || f < samples.count && samples.times[f] < histograms.get(h).getTimestamp()) {
                int to = f + 1;
                long until = h < histograms.size() ? histograms.get(h).getTimestamp() : Long.MAX_VALUE;
                while (to < samples.count && to - f < XorChunk.MAX_SAMPLES && samples.times[to] < until) {
                    to++;
                }
                chunks.add(Chunk.newBuilder().setMinTimeMs(samples.times[f]).setMaxTimeMs(samples.times[to - 1])
                        .setType(Chunk.Encoding.XOR)
                        .setData(ByteString.copyFrom(XorChunk.encode(samples.times, samples.values, f, to))).build());
                f = to;
            } else {
                int to = h + 1;
                long until = f < samples.count ? samples.times[f] : Long.MAX_VALUE;
                while (to < histograms.size() && histograms.get(to).getTimestamp() < until) {
                    to++;
                }
                chunks.addAll(HistogramChunk.chunks(histograms, h, to));
                h = to;
            }
        }
        return chunks;
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
