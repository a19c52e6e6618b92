package io.github.promkinesis.routes;

import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Archives of the write route's JSON lines in a directory, as the restore's and the compaction's tests read them. */
final class ArchiveDirectory {

    private ArchiveDirectory() {
    }

    /**
     * The request's lines in {@code work}/archive, out of time order: the later half of each series' samples plain
     * in part-1, the earlier half gzipped in part-2.gz with part-1's first line again (a record stored twice).
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
        Path archive = work.resolve("archive");
        List<String> laterLines = lines(later.build());
        write(archive.resolve("part-1"), laterLines);
        List<String> earlierLines = new ArrayList<>(lines(earlier.build()));
        earlierLines.add(laterLines.get(0));
        write(archive.resolve("part-2.gz"), earlierLines);
        return archive;
    }

    /** The lines the write route makes of the request, without their newlines. */
    static List<String> lines(WriteRequest sent) {
        JsonLineWriter writer = new JsonLineWriter();
        writer.setMaxSamples(1_000_000);
        JsonLines lines = writer.toJsonLines(sent);
        List<String> each = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            each.add(StandardCharsets.UTF_8.decode(lines.slice(i, i + 1)).toString().stripTrailing());
        }
        return each;
    }

    /** The lines as one object, gzipped when its name ends in .gz, its directories made. */
    static void write(Path object, List<String> lines) throws IOException {
        Files.createDirectories(object.getParent());
        try (OutputStream out = object.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(object)) : Files.newOutputStream(object)) {
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
