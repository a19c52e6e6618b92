package io.github.promkinesis.read;

import java.util.ArrayList;
import java.util.List;

/** A series a query selected: its labels as answered (the tenant label taken off) and its rows day by day. */
record SelectedSeries(String[] labelNames, String[] labelValues, List<Day> days) {

    record Day(CompactedDay day, DaySeries rows) {
    }

    SelectedSeries(String[] labelNames, String[] labelValues) {
        this(labelNames, labelValues, new ArrayList<>());
    }

    /** Its rows in the days' indexes: the most samples it can have. */
    long rows() {
        long rows = 0;
        for (Day day : days) {
            rows += day.rows().rows();
        }
        return rows;
    }

    /** Prometheus' order of label sets (TSDB blocks, remote read): label by label, name then value; a prefix first. */
    static int compare(SelectedSeries a, SelectedSeries b) {
        int common = Math.min(a.labelNames.length, b.labelNames.length);
        for (int i = 0; i < common; i++) {
            int order = a.labelNames[i].compareTo(b.labelNames[i]);
            if (order == 0) {
                order = a.labelValues[i].compareTo(b.labelValues[i]);
            }
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.labelNames.length, b.labelNames.length);
    }
}
