package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.ArchivedLine;
import io.github.promkinesis.encoding.WriteRequestToJsonLines;
import io.github.promkinesis.protocol.SeriesLabels;
import io.github.promkinesis.protocol.prompb.Label;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The export's sink: OpenMetrics text that {@code promtool tsdb create-blocks-from openmetrics} takes for a
 * backfill, float samples only (promtool backfills no exemplars, metadata or native histograms). promtool drops
 * samples out of order without a word and wants a metric family's lines together, so
 * the selected samples are held (about 50 bytes each), then written by metric, series and time, ending in
 * {@code # EOF}. OpenMetrics cannot carry a staleness marker (a NaN there is a real NaN), nor a series without a
 * valid metric name: both are left out and counted.
 */
final class OpenMetricsExport implements SampleSink {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Path out;
    private final LineDecoder decoder;
    private final RestoreStats stats;
    /** metric name → series text ({labels}) → its samples. */
    private final Map<String, Map<String, Points>> families = new TreeMap<>();

    OpenMetricsExport(Path out, LineDecoder decoder, RestoreStats stats) {
        this.out = out;
        this.decoder = decoder;
        this.stats = stats;
    }

    @Override
    public void add(String object, long lineNumber, byte[] bytes, int offset, int length) {
        ArchivedLine sample = decoder.decode(object, lineNumber, bytes, offset, length);
        if (sample == null) {
            return;
        }
        if (sample.kind() != ArchivedLine.Kind.SAMPLE) {
            stats.notExportable.increment(); // promtool's OpenMetrics backfill takes float samples only
            return;
        }
        long bits = Double.doubleToRawLongBits(sample.value());
        String name = sample.name();
        if (bits == WriteRequestToJsonLines.STALE_NAN_BITS || !METRIC_NAME.matcher(name).matches()
                || !name.equals(SeriesLabels.value(sample.labels(), SeriesLabels.METRIC_NAME))) {
            stats.notExportable.increment();
            return;
        }
        String series = labelsText(sample.labels());
        if (series == null) {
            stats.notExportable.increment();
            return;
        }
        families.computeIfAbsent(name, k -> new TreeMap<>()).computeIfAbsent(series, k -> new Points())
                .add(sample.time(), bits);
        stats.samplesAccepted.increment();
    }

    @Override
    public void flush() {
        // held until the end: a family's lines must stand together
    }

    /** Writes the file: each metric's series, each series' samples in time order, then # EOF. */
    void write() throws IOException {
        try (Writer writer = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
            for (Map.Entry<String, Map<String, Points>> family : families.entrySet()) {
                writer.write("# TYPE " + family.getKey() + " unknown\n");
                for (Map.Entry<String, Points> series : family.getValue().entrySet()) {
                    for (long[] point : series.getValue().inTimeOrder()) {
                        writer.write(family.getKey());
                        writer.write(series.getKey());
                        writer.write(' ');
                        writer.write(value(Double.longBitsToDouble(point[1])));
                        writer.write(' ');
                        writer.write(seconds(point[0]));
                        writer.write('\n');
                    }
                }
            }
            writer.write("# EOF\n");
        }
    }

    /** A series' samples as (time, value bits) pairs, compact. */
    private static final class Points {
        private long[] pairs = new long[8];
        private int size;

        void add(long time, long bits) {
            if (pairs.length < (size + 1) * 2) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[size * 2] = time;
            pairs[size * 2 + 1] = bits;
            size++;
        }

        List<long[]> inTimeOrder() {
            List<long[]> points = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                points.add(new long[] {pairs[i * 2], pairs[i * 2 + 1]});
            }
            points.sort(Comparator.comparingLong(point -> point[0]));
            return points;
        }
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
