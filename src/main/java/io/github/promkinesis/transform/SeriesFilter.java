package io.github.promkinesis.transform;

import io.github.promkinesis.protocol.SeriesLabels;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.regex.Pattern;

/**
 * Keeps or drops the series whose label matches a regular expression (the whole value, as in Prometheus'
 * relabelling; a missing label is the empty string). For routes: {@code bean: {ref: NAME, method: apply}}.
 */
public class SeriesFilter {

    private String label = SeriesLabels.METRIC_NAME;
    private Pattern regex = Pattern.compile("");
    private boolean keep;

    public void setLabel(String label) {
        this.label = label;
    }

    public void setRegex(String regex) {
        this.regex = Pattern.compile(regex);
    }

    /** true: keep only matching series; false (default): drop matching series. */
    public void setKeep(boolean keep) {
        this.keep = keep;
    }

    public WriteRequest apply(WriteRequest request) {
        WriteRequest.Builder filtered = request.toBuilder().clearTimeseries();
        for (TimeSeries series : request.getTimeseriesList()) {
            if (regex.matcher(SeriesLabels.value(series, label)).matches() == keep) {
                filtered.addTimeseries(series);
            }
        }
        return filtered.build();
    }
}
