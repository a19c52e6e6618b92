package io.github.promkinesis.lines;

import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import java.util.List;

/**
 * One JSON line of the archive read back, with what remote write carries of its kind: a float sample's or an
 * exemplar's value (the exact bits written, Prometheus' staleness marker included), an exemplar's labels (in
 * their order), a metadata entry, a native histogram (with its timestamp). {@code labels}, the series', are
 * sorted by name, as remote write wants them; {@code series} is their key.
 */
public record ArchivedLine(Kind kind, String name, long time, double value, List<Label> labels, SeriesKey series,
                           List<Label> exemplarLabels, MetricMetadata metadata, Histogram histogram) {

    /** The line kinds of docs/format.md, told apart by their marker field. */
    public enum Kind { SAMPLE, HISTOGRAM, EXEMPLAR, METADATA }
}
