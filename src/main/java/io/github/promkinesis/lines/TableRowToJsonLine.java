package io.github.promkinesis.lines;

import static io.github.promkinesis.lines.JsonLineWriter.CREATED;
import static io.github.promkinesis.lines.JsonLineWriter.END;
import static io.github.promkinesis.lines.JsonLineWriter.EXEMPLAR;
import static io.github.promkinesis.lines.JsonLineWriter.EXEMPLAR_LABELS;
import static io.github.promkinesis.lines.JsonLineWriter.HISTOGRAM;
import static io.github.promkinesis.lines.JsonLineWriter.LABELS;
import static io.github.promkinesis.lines.JsonLineWriter.NAME;
import static io.github.promkinesis.lines.JsonLineWriter.STALE;
import static io.github.promkinesis.lines.JsonLineWriter.TIME;
import static io.github.promkinesis.lines.JsonLineWriter.VALUE;
import static io.github.promkinesis.lines.JsonValues.writeDouble;

import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A row of the archive's table (docs/format.md, "Reading it with Athena"), as Firehose's record format conversion
 * stores a line, written back as that line: byte for byte what {@link JsonLineWriter} wrote, so
 * {@link JsonLineReader} and its fast path read it unchanged. The table holds as text the numbers a line may write
 * as "NaN", "+Inf" or "-Inf" (value, sum, bounds): they are parsed and written again as the writer writes doubles.
 * Two things the table does not keep are made again: labels come sorted by name, as senders sort them (a map
 * keeps no order); and a histogram whose counts are all whole is taken for an integer histogram, since its
 * double columns cannot tell it from a float histogram of whole counts.
 */
public final class TableRowToJsonLine {

    /** A row's columns; value, histogram, exemplar and metadata are null but for the line's kind. */
    public record Row(String name, long time, String value, boolean stale, long created, Map<String, String> labels,
                      RowHistogram histogram, RowExemplar exemplar, RowMetadata metadata) {
    }

    public record RowHistogram(double count, String sum, int schema, double zeroThreshold, double zeroCount,
                               String resetHint, long created, List<RowBucket> buckets) {
    }

    public record RowBucket(int index, String lower, String upper, double count) {
    }

    public record RowExemplar(String value, Map<String, String> labels) {
    }

    public record RowMetadata(String type, String help, String unit) {
    }

    private TableRowToJsonLine() {
    }

    /** Appends the row's line and its newline; a row of no kind, or a number that is none, is refused. */
    public static void write(Row row, ByteSink out) {
        if (row.metadata() != null) {
            JsonLineWriter.writeMetadata(out, metadata(row.name(), row.metadata()), row.time());
            return;
        }
        out.write(NAME);
        JsonLineWriter.writeEscaped(row.name(), out);
        out.write(TIME);
        out.writeLong(row.time());
        if (row.value() != null) {
            out.write(VALUE);
            writeDouble(out, number(row.value(), "value"));
            if (row.stale()) {
                out.write(STALE);
            }
            if (row.created() != 0) {
                out.write(CREATED);
                out.writeLong(row.created());
            }
        } else if (row.histogram() != null) {
            out.write(HISTOGRAM);
            writeHistogram(out, row.histogram());
            if (row.stale()) {
                out.write(STALE);
            }
        } else if (row.exemplar() != null) {
            out.write(EXEMPLAR);
            writeDouble(out, number(row.exemplar().value(), "exemplar.value"));
            out.write(EXEMPLAR_LABELS);
            writeLabels(row.exemplar().labels(), out);
            out.write('}');
            out.write('}');
        } else {
            throw new IllegalArgumentException("a row with neither value, histogram, exemplar nor metadata");
        }
        out.write(LABELS);
        writeLabels(row.labels(), out);
        out.write(END);
    }

    private static void writeHistogram(ByteSink out, RowHistogram histogram) {
        boolean integer = whole(histogram.count()) && whole(histogram.zeroCount())
                && histogram.buckets().stream().allMatch(bucket -> whole(bucket.count()));
        Histogram.Builder fields = Histogram.newBuilder().setSum(number(histogram.sum(), "histogram.sum"))
                .setSchema(histogram.schema()).setZeroThreshold(histogram.zeroThreshold())
                .setResetHint(Histogram.ResetHint.valueOf(histogram.resetHint().toUpperCase(Locale.ROOT)));
        if (integer) {
            fields.setCountInt((long) histogram.count()).setZeroCountInt((long) histogram.zeroCount());
        } else {
            fields.setCountFloat(histogram.count()).setZeroCountFloat(histogram.zeroCount());
        }
        HistogramLineWriter.startHistogram(out, fields.build(), integer, histogram.created());
        boolean first = true;
        for (RowBucket bucket : histogram.buckets()) {
            HistogramLineWriter.startBucket(out, first, bucket.index(), number(bucket.lower(), "bucket.lower"),
                    number(bucket.upper(), "bucket.upper"));
            if (integer) {
                out.writeLong((long) bucket.count());
            } else {
                writeDouble(out, bucket.count());
            }
            out.write('}');
            first = false;
        }
        out.write(']');
        out.write('}');
    }

    private static boolean whole(double count) {
        return count == Math.rint(count) && Math.abs(count) < 0x1p63;
    }

    private static MetricMetadata metadata(String name, RowMetadata metadata) {
        try {
            return MetricMetadata.newBuilder().setMetricFamilyName(name)
                    .setType(MetricMetadata.MetricType.valueOf(metadata.type().toUpperCase(Locale.ROOT)))
                    .setHelp(metadata.help() == null ? "" : metadata.help())
                    .setUnit(metadata.unit() == null ? "" : metadata.unit()).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metadata type \"" + metadata.type() + "\"");
        }
    }

    /** Labels as a JSON object's members, sorted by name. */
    private static void writeLabels(Map<String, String> labels, ByteSink out) {
        boolean first = true;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            if (!first) {
                out.write(',');
            }
            JsonLineWriter.writeLabel(label.getKey(), label.getValue(), out);
            first = false;
        }
    }

    /** A double as the table's text columns hold it: a number that parses back to it, "NaN", "+Inf" or "-Inf". */
    public static String text(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    /** A number as its text or one of the strings JSON lacks numbers for. */
    private static double number(String text, String column) {
        Double named = JsonValues.named(text);
        if (named != null) {
            return named;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " \"" + text + "\" is no number");
        }
    }
}
