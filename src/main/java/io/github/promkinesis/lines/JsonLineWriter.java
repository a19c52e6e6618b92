package io.github.promkinesis.lines;

import static io.github.promkinesis.lines.JsonValues.ascii;
import static io.github.promkinesis.lines.JsonValues.writeDouble;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.promkinesis.protocol.SeriesLabels;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Flattens a remote-write request into newline-terminated JSON lines, all written into one buffer: one per float
 * sample in the original adapter's shape {"name":..,"time":<ms>,"value":..,"labels":{..}}; one per native
 * histogram sample ({"histogram":{..}} instead of "value"); one per exemplar ({"exemplar":{"value":..,"labels":..}});
 * and, when enabled, one per metadata entry ({"metadata":{"type":..,"help":..,"unit":..}}). A series' name and
 * labels are escaped once and copied for its other lines. docs/format.md describes every field.
 */
public final class JsonLineWriter {

    /** Prometheus' staleness marker, a NaN with this exact bit pattern; other NaNs are real values. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    static final byte[] NAME = ascii("{\"name\":\"");
    static final byte[] TIME = ascii("\",\"time\":");
    static final byte[] VALUE = ascii(",\"value\":");
    static final byte[] HISTOGRAM = ascii(",\"histogram\":");
    static final byte[] EXEMPLAR = ascii(",\"exemplar\":{\"value\":");
    static final byte[] EXEMPLAR_LABELS = ascii(",\"labels\":{");
    private static final byte[] METADATA_TYPE = ascii(",\"metadata\":{\"type\":\"");
    private static final byte[] METADATA_HELP = ascii("\",\"help\":\"");
    private static final byte[] METADATA_UNIT = ascii("\",\"unit\":\"");
    private static final byte[] METADATA_END = ascii("\"}}\n");
    static final byte[] STALE = ascii(",\"stale\":true");
    static final byte[] CREATED = ascii(",\"created\":");
    static final byte[] LABELS = ascii(",\"labels\":{");
    private static final byte[] NAME_VALUE_SEPARATOR = ascii("\":\"");
    static final byte[] END = ascii("}}\n");

    /** A float line but its name and labels: time (13 digits), value (up to 24 characters), punctuation. */
    private static final int LINE_BYTES = 80;
    /** A label's quotes, colon and comma. */
    private static final int LABEL_BYTES = 6;
    /** A histogram's fields and a few buckets beyond a float line. */
    private static final int HISTOGRAM_BYTES = 512;

    private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

    private int maxSamples;
    private boolean metadataLines;

    public void setMaxSamples(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    public void setMetadataLines(boolean metadataLines) {
        this.metadataLines = metadataLines;
    }

    public JsonLines toJsonLines(WriteRequest request) {
        int seriesCount = request.getTimeseriesCount();
        int metadataCount = metadataLines ? request.getMetadataCount() : 0;
        Size size = size(request, metadataCount);
        if (size.lines() > maxSamples) {
            throw new TooManySamplesException(size.lines(), maxSamples);
        }
        JsonLines.Builder lines = new JsonLines.Builder(size.lines(), seriesCount + metadataCount, size.bytes());
        ByteSink out = lines.bytes();
        for (int s = 0; s < seriesCount; s++) {
            TimeSeries series = request.getTimeseries(s);
            if (series.getSamplesCount() + series.getHistogramsCount() + series.getExemplarsCount() == 0) {
                continue;
            }
            SeriesText text = new SeriesText(series, SeriesLabels.value(series, SeriesLabels.METRIC_NAME));
            lines.series(s, text.metricName);
            long created = series.getCreatedTimestamp();
            // indexed loops: an iterator over protobuf's unmodifiable lists is two objects per series and loop
            for (int i = 0, n = series.getSamplesCount(); i < n; i++) {
                Sample sample = series.getSamples(i);
                text.begin(out, sample.getTimestamp());
                out.write(VALUE);
                writeDouble(out, sample.getValue());
                writeStale(out, sample.getValue());
                writeCreated(out, sample.getStartTimestamp() != 0 ? sample.getStartTimestamp() : created);
                text.end(out, lines, s);
                lines.ended(s, JsonLines.SAMPLE);
            }
            for (int i = 0, n = series.getHistogramsCount(); i < n; i++) {
                Histogram histogram = series.getHistograms(i);
                text.begin(out, histogram.getTimestamp());
                out.write(HISTOGRAM);
                HistogramLineWriter.write(out, histogram, created, series);
                writeStale(out, histogram.getSum());
                text.end(out, lines, s);
                lines.ended(s, JsonLines.HISTOGRAM);
            }
            for (int i = 0, n = series.getExemplarsCount(); i < n; i++) {
                Exemplar exemplar = series.getExemplars(i);
                text.begin(out, exemplar.getTimestamp());
                out.write(EXEMPLAR);
                writeDouble(out, exemplar.getValue());
                out.write(EXEMPLAR_LABELS);
                writeLabels(exemplar.getLabelsList(), series, out);
                out.write('}');
                out.write('}');
                text.end(out, lines, s);
                lines.ended(s, JsonLines.EXEMPLAR);
            }
        }
        long now = System.currentTimeMillis(); // metadata has no time of its own: when it arrived
        for (int m = 0; m < metadataCount; m++) {
            writeMetadata(out, request.getMetadata(m), now);
            lines.series(seriesCount + m, request.getMetadata(m).getMetricFamilyName());
            lines.ended(seriesCount + m, JsonLines.METADATA);
        }
        return lines.build();
    }

    /**
     * Every line the request makes, so the limit is checked before any is written, and about what they will
     * take, from the lengths of the labels (each line repeats its series' labels): a buffer sized for the worst
     * line (it was 512 bytes a line) took a third more than Prometheus' lines need, and a 2,000-line request then
     * outgrew an ordinary object in G1's 2 MiB regions. Escaped or multi-byte text, and long histograms, may need
     * more: the buffer grows.
     */
    private record Size(int lines, int bytes) {
    }

    private static Size size(WriteRequest request, int metadataCount) {
        int lines = metadataCount;
        long bytes = 0;
        for (int s = 0, n = request.getTimeseriesCount(); s < n; s++) {
            TimeSeries series = request.getTimeseries(s);
            lines += series.getSamplesCount() + series.getHistogramsCount() + series.getExemplarsCount();
            long labels = 0;
            for (int i = 0, count = series.getLabelsCount(); i < count; i++) {
                Label label = series.getLabels(i);
                labels += label.getName().length() + label.getValue().length() + LABEL_BYTES;
                if (label.getName().equals(SeriesLabels.METRIC_NAME)) {
                    labels += label.getValue().length(); // the line's name too
                }
            }
            bytes += (series.getSamplesCount() + series.getHistogramsCount() + 2L * series.getExemplarsCount())
                    * (LINE_BYTES + labels) + HISTOGRAM_BYTES * series.getHistogramsCount();
        }
        for (int m = 0; m < metadataCount; m++) {
            MetricMetadata metadata = request.getMetadata(m);
            bytes += LINE_BYTES + metadata.getMetricFamilyName().length() + metadata.getHelp().length()
                    + metadata.getUnit().length();
        }
        return new Size(lines, (int) Math.min(bytes, Integer.MAX_VALUE - 16));
    }

    /** A series' escaped name and labels: written by its first line, copied by the others. */
    private final class SeriesText {
        private final TimeSeries series;
        private final String metricName;
        private int nameStart = -1;
        private int nameEnd;

        SeriesText(TimeSeries series, String metricName) {
            this.series = series;
            this.metricName = metricName;
        }

        void begin(ByteSink out, long time) {
            out.write(NAME);
            if (nameStart < 0) {
                nameStart = out.length();
                writeEscaped(metricName, out);
                nameEnd = out.length();
            } else {
                out.copyOwn(nameStart, nameEnd);
            }
            out.write(TIME);
            out.writeLong(time);
        }

        void end(ByteSink out, JsonLines.Builder lines, int s) {
            out.write(LABELS);
            if (!lines.hasLabels(s)) {
                int start = out.length();
                writeLabels(series.getLabelsList(), series, out);
                lines.labels(s, start, out.length());
            } else {
                lines.copyLabels(s);
            }
            out.write(END);
        }
    }

    static void writeMetadata(ByteSink out, MetricMetadata metadata, long time) {
        out.write(NAME);
        writeEscaped(metadata.getMetricFamilyName(), out);
        out.write(TIME);
        out.writeLong(time);
        out.write(METADATA_TYPE);
        out.writeLatin1(metadata.getType().name().toLowerCase(Locale.ROOT));
        out.write(METADATA_HELP);
        writeEscaped(metadata.getHelp(), out);
        out.write(METADATA_UNIT);
        writeEscaped(metadata.getUnit(), out);
        out.write(METADATA_END);
    }

    private static void writeStale(ByteSink out, double value) {
        if (Double.doubleToRawLongBits(value) == STALE_NAN_BITS) {
            out.write(STALE);
        }
    }

    /** Only 2.0 senders give a created timestamp; lines without one are exactly the original adapter's. */
    private static void writeCreated(ByteSink out, long created) {
        if (created != 0) {
            out.write(CREATED);
            out.writeLong(created);
        }
    }

    /**
     * The labels' members, in the order they arrived, without the enclosing braces. Every label needs a name,
     * and a name once, for a labels object to have distinct keys: senders sort labels, so comparing neighbours
     * suffices; unsorted labels are checked with a set.
     */
    private void writeLabels(List<Label> labels, TimeSeries series, ByteSink out) {
        String previous = null;
        boolean sorted = true;
        for (int i = 0, count = labels.size(); i < count; i++) {
            Label label = labels.get(i);
            String name = label.getName();
            if (name.isEmpty()) {
                throw new InvalidSeriesException("a label has an empty name", series);
            }
            if (name.equals(previous)) {
                throw new InvalidSeriesException("label " + name + " appears twice", series);
            }
            sorted &= previous == null || previous.compareTo(name) < 0;
            previous = name;
            if (i > 0) {
                out.write(',');
            }
            writeLabel(name, label.getValue(), out);
        }
        if (!sorted) {
            Set<String> names = new HashSet<>();
            for (Label label : labels) {
                if (!names.add(label.getName())) {
                    throw new InvalidSeriesException("label " + label.getName() + " appears twice", series);
                }
            }
        }
    }

    /** One member of a labels object: "name":"value". */
    public static void writeLabel(String name, String value, ByteSink out) {
        out.write('"');
        writeEscaped(name, out);
        out.write(NAME_VALUE_SEPARATOR);
        writeEscaped(value, out);
        out.write('"');
    }

    /** A JSON string: text quoted and escaped. */
    public static void writeString(String text, ByteSink out) {
        out.write('"');
        writeEscaped(text, out);
        out.write('"');
    }

    /** The JSON string content of text: label names and values are nearly always printable ASCII, copied as is. */
    static void writeEscaped(String text, ByteSink out) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                out.write(STRINGS.quoteAsUTF8(text));
                return;
            }
        }
        out.writeLatin1(text);
    }
}
