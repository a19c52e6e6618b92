package io.github.promkinesis.lines;

import io.github.promkinesis.protocol.prompb.TimeSeries;

/** A series whose labels cannot be a JSON line's labels object: the request is invalid and refused. */
public class InvalidSeriesException extends IllegalArgumentException {
    public InvalidSeriesException(String problem, TimeSeries series) {
        super("invalid series: " + problem + " (series with " + series.getLabelsCount() + " labels)");
    }
}
