package io.github.promkinesis.read;

import io.github.promkinesis.protocol.prompb.Histogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series' samples in a query's time range, in time order, as {@link SeriesBatches} reads them: float samples
 * (their exact bits, the staleness marker's included) in two growing arrays, native histograms as remote read
 * carries them.
 */
final class SeriesSamples {

    long[] times = new long[256];
    double[] values = new double[256];
    int count;
    final List<Histogram> histograms = new ArrayList<>();
    private long lastTime = Long.MIN_VALUE;

    /** Emptied, with room for {@code rows} samples (the index's count: the most the series can have). */
    void clear(long rows) {
        if (rows > times.length && rows < Integer.MAX_VALUE / 2) {
            times = new long[(int) rows];
            values = new double[(int) rows];
        }
        count = 0;
        histograms.clear();
        lastTime = Long.MIN_VALUE;
    }

    void add(long time, double value) {
        // a day holds each time of a series once and days follow each other: this only guards the order
        if (time <= lastTime) {
            return;
        }
        if (count == times.length) {
            times = Arrays.copyOf(times, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        times[count] = time;
        values[count] = value;
        count++;
        lastTime = time;
    }
}
