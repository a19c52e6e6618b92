package io.github.promkinesis.lines;

import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.util.Arrays;

/**
 * The archive's JSON lines back into a remote-write 1.0 request, {@code prometheus.WriteRequest} in protobuf: the
 * mirror of {@link JsonLineWriter}. A series per line, as Prometheus' own remote write sends a series
 * per sample; metadata lines as the request's metadata. A float sample in the writer's own shape, nearly every
 * line, is written from its bytes in place ({@link SeriesProtobuf}), or taken as the TimeSeries the reader
 * already made of it ({@link JsonLineReader#keySeries()}); every other line goes through {@link JsonLineReader}
 * and protobuf's classes. Not thread-safe: one per sending thread.
 */
public final class JsonLinesToWriteRequest {

    /** WriteRequest's timeseries and metadata, as tags (field number and wire type). */
    private static final int TIMESERIES = 1 << 3 | 2;
    private static final int METADATA = 3 << 3 | 2;

    private final SampleLineScanner samples = new SampleLineScanner();
    private final JsonLineReader reader = new JsonLineReader();
    private final SeriesProtobuf request = new SeriesProtobuf();
    private final SeriesProtobuf series = new SeriesProtobuf();

    /** Starts a new request. */
    public void clear() {
        request.clear();
    }

    /**
     * Adds a line (without its newline), read before and known to be readable, or a float sample's TimeSeries as
     * {@link JsonLineReader#keySeries()} made it (told apart by the first byte: a line's is '{', a TimeSeries'
     * never is).
     */
    public void add(byte[] line, int offset, int length) {
        if (line[offset] != '{') {
            request.message(TIMESERIES, line, offset, length);
            return;
        }
        if (samples.parts(line, offset, length)) {
            series.clear();
            series.series(samples);
            request.message(TIMESERIES, series.out, 0, series.size);
            return;
        }
        ArchivedLine read = reader.read(line, offset, length);
        if (read.kind() == ArchivedLine.Kind.METADATA) {
            byte[] metadata = read.metadata().toByteArray();
            request.message(METADATA, metadata, 0, metadata.length);
            return;
        }
        TimeSeries.Builder built = TimeSeries.newBuilder().addAllLabels(read.labels());
        switch (read.kind()) {
            case SAMPLE -> built.addSamples(Sample.newBuilder().setValue(read.value()).setTimestamp(read.time()));
            case EXEMPLAR -> built.addExemplars(Exemplar.newBuilder().addAllLabels(read.exemplarLabels())
                    .setValue(read.value()).setTimestamp(read.time()));
            case HISTOGRAM -> built.addHistograms(read.histogram());
            case METADATA -> throw new IllegalStateException("metadata has no series");
        }
        byte[] bytes = built.build().toByteArray();
        request.message(TIMESERIES, bytes, 0, bytes.length);
    }

    /** The request's bytes. */
    public byte[] request() {
        return Arrays.copyOf(request.out, request.size);
    }
}
