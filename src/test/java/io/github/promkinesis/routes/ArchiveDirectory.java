package io.github.promkinesis.routes;

import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** An archive of the write route's JSON lines in a directory, as the restore's tests read one. */
final class ArchiveDirectory {

    private ArchiveDirectory() {
    }

    /**
     * The request's lines, as the write route writes them, in {@code work}/archive, out of time order: the later
     * half of each series' samples plain in part-1, the earlier half gzipped in part-2.gz with part-1's first line
     * again (a record stored twice).
     */
    static Path of(WriteRequest sent, Path work) throws IOException {
        WriteRequest.Builder earlier = WriteRequest.newBuilder();
        WriteRequest.Builder later = WriteRequest.newBuilder();
        for (TimeSeries series : sent.getTimeseriesList()) {
            List<Sample> samples = series.getSamplesList();
            int half = samples.size() / 2;
            earlier.addTimeseries(series.toBuilder().clearSamples().addAllSamples(samples.subList(0, half)));
            later.addTimeseries(series.toBuilder().clearSamples().addAllSamples(samples.subList(half, samples.size())));
        }
        JsonLines laterLines = lines(later.build());
        Path archive = Files.createDirectory(work.resolve("archive"));
        Files.write(archive.resolve("part-1"), bytes(laterLines.slice(0, laterLines.size())));
        try (OutputStream gzip = new GZIPOutputStream(Files.newOutputStream(archive.resolve("part-2.gz")))) {
            JsonLines earlierLines = lines(earlier.build());
            gzip.write(bytes(earlierLines.slice(0, earlierLines.size())));
            gzip.write(bytes(laterLines.slice(0, 1)));
        }
        return archive;
    }

    /** The lines the write route makes of the request. */
    static JsonLines lines(WriteRequest sent) {
        JsonLineWriter writer = new JsonLineWriter();
        writer.setMaxSamples(1_000_000);
        return writer.toJsonLines(sent);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
