package io.github.promkinesis.encoding;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Flattens a remote-write request into one newline-terminated JSON line per float sample, in the original
 * adapter's shape: {"name":..,"time":<ms>,"value":..,"labels":{..}}, all written into one buffer. A series' name
 * and labels are escaped once and reused for each of its samples. Series without float samples (histogram- or exemplar-only) yield nothing.
 */
public final class WriteRequestToJsonLines {

    /** Prometheus' staleness marker, a NaN with this exact bit pattern; other NaNs are real values. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private static final String METRIC_NAME_LABEL = "__name__";
    private static final byte[] NAME = ascii("{\"name\":\"");
    private static final byte[] TIME = ascii("\",\"time\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] STALE = ascii(",\"stale\":true");
    private static final byte[] LABELS = ascii(",\"labels\":{");
    private static final byte[] NAME_VALUE_SEPARATOR = ascii("\":\"");
    private static final byte[] END = ascii("}}\n");
    private static final byte[] NAN = ascii("\"NaN\"");
    private static final byte[] POINT_ZERO = ascii(".0");
    private static final long NEGATIVE_ZERO_BITS = Double.doubleToRawLongBits(-0.0);
    private static final byte[] POSITIVE_INFINITY = ascii("\"+Inf\"");
    private static final byte[] NEGATIVE_INFINITY = ascii("\"-Inf\"");

    private final JsonStringEncoder strings = JsonStringEncoder.getInstance();
    private int maxSamples = 100_000;

    public void setMaxSamples(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    public JsonLines toJsonLines(WriteRequest request) {
        int samples = countSamples(request);
        if (samples > maxSamples) {
            throw new TooManySamplesException(samples, maxSamples);
        }
        int seriesCount = request.getTimeseriesCount();
        String[] metricNames = new String[seriesCount];
        int[] labelsStart = new int[seriesCount];
        int[] labelsEnd = new int[seriesCount];
        int[] ends = new int[samples];
        int[] seriesOfLine = new int[samples];
        ByteSink lines = new ByteSink(samples * 512);
        int line = 0;
        for (int s = 0; s < seriesCount; s++) {
            TimeSeries series = request.getTimeseries(s);
            if (series.getSamplesCount() == 0) {
                continue;
            }
            metricNames[s] = metricName(series);
            // the first line writes the escaped name and labels; the series' other lines copy them from it
            int nameStart = 0;
            int nameEnd = 0;
            for (int i = 0; i < series.getSamplesCount(); i++) {
                Sample sample = series.getSamples(i);
                lines.write(NAME);
                if (i == 0) {
                    nameStart = lines.length();
                    writeEscaped(metricNames[s], lines);
                    nameEnd = lines.length();
                } else {
                    lines.copyOwn(nameStart, nameEnd);
                }
                lines.write(TIME);
                lines.writeLong(sample.getTimestamp());
                lines.write(VALUE);
                writeValue(lines, sample.getValue());
                lines.write(LABELS);
                if (i == 0) {
                    labelsStart[s] = lines.length();
                    writeLabels(series, lines);
                    labelsEnd[s] = lines.length();
                } else {
                    lines.copyOwn(labelsStart[s], labelsEnd[s]);
                }
                lines.write(END);
                ends[line] = lines.length();
                seriesOfLine[line++] = s;
            }
        }
        return new JsonLines(lines.array(), ends, seriesOfLine, metricNames, labelsStart, labelsEnd, samples);
    }

    private static int countSamples(WriteRequest request) {
        int samples = 0;
        for (TimeSeries series : request.getTimeseriesList()) {
            samples += series.getSamplesCount();
        }
        return samples;
    }

    private static String metricName(TimeSeries series) {
        for (Label label : series.getLabelsList()) {
            if (METRIC_NAME_LABEL.equals(label.getName())) {
                return label.getValue();
            }
        }
        return "";
    }

    /**
     * The labels' members, in the order they arrived, without the enclosing braces. Every label needs a name,
     * and a name once per series, for a line's labels object to have distinct keys: senders sort labels, so
     * comparing neighbours suffices; unsorted labels are checked with a set.
     */
    private void writeLabels(TimeSeries series, ByteSink out) {
        String previous = null;
        boolean sorted = true;
        for (int i = 0; i < series.getLabelsCount(); i++) {
            Label label = series.getLabels(i);
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
            out.write('"');
            writeEscaped(name, out);
            out.write(NAME_VALUE_SEPARATOR);
            writeEscaped(label.getValue(), out);
            out.write('"');
        }
        if (!sorted) {
            Set<String> names = new HashSet<>();
            for (Label label : series.getLabelsList()) {
                if (!names.add(label.getName())) {
                    throw new InvalidSeriesException("label " + label.getName() + " appears twice", series);
                }
            }
        }
    }

    /** The JSON string content of text: label names and values are nearly always printable ASCII, copied as is. */
    private void writeEscaped(String text, ByteSink out) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                out.write(strings.quoteAsUTF8(text));
                return;
            }
        }
        out.writeLatin1(text);
    }

    /**
     * Finite values as a JSON number that parses back to the identical double, in Double.toString's form; the
     * rest as strings. Whole numbers below 10^7 (counters, gauges of counts) skip Double.toString, which would
     * write them the same way, "42.0", at several times the cost.
     */
    private static void writeValue(ByteSink line, double value) {
        long whole = (long) value;
        if (whole == value && whole > -10_000_000L && whole < 10_000_000L
                && Double.doubleToRawLongBits(value) != NEGATIVE_ZERO_BITS) {
            line.writeLong(whole);
            line.write(POINT_ZERO);
        } else if (Double.isFinite(value)) {
            line.writeLatin1(Double.toString(value));
        } else if (Double.isNaN(value)) {
            line.write(NAN);
            if (Double.doubleToRawLongBits(value) == STALE_NAN_BITS) {
                line.write(STALE);
            }
        } else {
            line.write(value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
