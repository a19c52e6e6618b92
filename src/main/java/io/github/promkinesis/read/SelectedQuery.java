package io.github.promkinesis.read;

import java.util.List;

/** One query of a read request, its series chosen: what the encode step answers, in this order. */
record SelectedQuery(long start, long end, List<SelectedSeries> series) {
}
