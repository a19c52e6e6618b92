package io.github.promkinesis.protocol;

import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.util.List;

/** Label look-ups on a series, its metric name's among them. */
public final class SeriesLabels {

    /** The label that carries the metric name. */
    public static final String METRIC_NAME = "__name__";

    private SeriesLabels() {
    }

    /** The value of label {@code name}, or "" when the series has none (as Prometheus treats a missing label). */
    public static String value(TimeSeries series, String name) {
        return value(series.getLabelsList(), name);
    }

    /** The value of label {@code name} among {@code labels}, or "". */
    public static String value(List<Label> labels, String name) {
        for (int i = 0, count = labels.size(); i < count; i++) { // no iterator: called once per series
            Label label = labels.get(i);
            if (label.getName().equals(name)) {
                return label.getValue();
            }
        }
        return "";
    }
}
