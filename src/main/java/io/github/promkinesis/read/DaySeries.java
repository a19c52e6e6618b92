package io.github.promkinesis.read;

/**
 * One series of a compacted day, as its series index names it: labels (names sorted, {@code __name__} among them)
 * and where its rows are in the day's file, with their first and last time.
 */
record DaySeries(String[] labelNames, String[] labelValues, long firstRow, long rows, long minTime, long maxTime) {
}
