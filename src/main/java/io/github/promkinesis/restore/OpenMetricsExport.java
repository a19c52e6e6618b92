package io.github.promkinesis.restore;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.protocol.SeriesLabels;
import io.github.promkinesis.protocol.prompb.Label;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The export's sink, the {@code to-openmetrics} step: the merged lines, in the order of {@link SortOrder#FAMILY},
 * written as OpenMetrics text that {@code promtool tsdb create-blocks-from openmetrics} takes for a backfill:
 * each metric family's lines together, each series in time order (promtool drops samples out of order without
 * a word), ending in {@code # EOF}. Written as they come, so memory stays flat. Float samples only (promtool
 * backfills no exemplars, metadata or native histograms); OpenMetrics cannot carry a staleness marker (a NaN
 * there is a real NaN), nor a series without a valid metric name: those are left out and counted.
 */
public final class OpenMetricsExport {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Path out;
    private final RestoreStats stats;
    private final JsonLineReader reader = new JsonLineReader();

    OpenMetricsExport(Path out, RestoreStats stats) {
        this.out = out;
        this.stats = stats;
    }

    /** Writes the file from the merged lines. */
    public void write(Entries lines) throws IOException {
        String family = null;
        try (lines; Writer writer = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            while (lines.next()) {
                ArchivedLine sample = reader.read(lines.array(), lines.lineOffset(), lines.lineLength());
                String series = exportable(sample);
                if (series == null) {
                    stats.notExportable.increment();
                    continue;
                }
                if (!sample.name().equals(family)) {
                    family = sample.name();
                    writer.write("# TYPE " + family + " unknown\n");
                }
                writer.write(family);
                writer.write(series);
                writer.write(' ');
                writer.write(value(sample.value()));
                writer.write(' ');
                writer.write(seconds(sample.time()));
                writer.write('\n');
                stats.samplesAccepted.increment();
            }
            writer.write("# EOF\n");
        }
    }

    /** The sample's labels as OpenMetrics writes them, or null when OpenMetrics cannot carry it. */
    private static String exportable(ArchivedLine sample) {
        if (sample.kind() != ArchivedLine.Kind.SAMPLE
                || Double.doubleToRawLongBits(sample.value()) == JsonLineWriter.STALE_NAN_BITS
                || !METRIC_NAME.matcher(sample.name()).matches()
                || !sample.name().equals(SeriesLabels.value(sample.labels(), SeriesLabels.METRIC_NAME))) {
            return null;
        }
        return labelsText(sample.labels());
    }

    /** {a="x",b="y"} without __name__, values escaped as OpenMetrics wants; null for a label name it cannot carry. */
    private static String labelsText(List<Label> labels) {
        StringBuilder text = new StringBuilder("{");
        for (Label label : labels) {
            if (label.getName().equals(SeriesLabels.METRIC_NAME)) {
                continue;
            }
            if (!LABEL_NAME.matcher(label.getName()).matches()) {
                return null;
            }
            if (text.length() > 1) {
                text.append(',');
            }
            text.append(label.getName()).append("=\"");
            for (char c : label.getValue().toCharArray()) {
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '"' -> text.append("\\\"");
                    case '\n' -> text.append("\\n");
                    default -> text.append(c);
                }
            }
            text.append('"');
        }
        return text.length() == 1 ? "" : text.append('}').toString();
    }

    private static String value(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value); // parses back to the same double
    }

    /** Milliseconds as seconds with three decimals: promtool reads them back exactly. */
    private static String seconds(long millis) {
        return Math.floorDiv(millis, 1000) + "." + String.format("%03d", Math.floorMod(millis, 1000));
    }
}
