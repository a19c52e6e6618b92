package io.github.promkinesis.encoding;

import io.github.promkinesis.protocol.prompb.Label;
import java.util.List;

/**
 * One JSON line of the archive read back: its kind, and for float samples everything remote write carries.
 * {@code labels} are sorted by name, as remote write wants them; {@code value} has the exact bits written,
 * Prometheus' staleness marker included.
 */
public record ArchivedLine(Kind kind, String name, long time, double value, List<Label> labels) {

    /** The line kinds of docs/format.md, told apart by their marker field. */
    public enum Kind { SAMPLE, HISTOGRAM, EXEMPLAR, METADATA }
}
