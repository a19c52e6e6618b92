package io.github.promkinesis.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTransformsTest {

    private static final WriteRequest REQUEST = WriteRequest.newBuilder()
            .addTimeseries(series(label("__name__", "go_goroutines"), label("job", "a")))
            .addTimeseries(series(label("__name__", "up"), label("job", "go_job")))
            .addTimeseries(series(label("job", "no-name")))
            .build();

    @Test
    void dropsOrKeepsSeriesWhoseWholeLabelValueMatches() {
        SeriesFilter filter = new SeriesFilter();
        filter.setRegex("go_.*");

        assertEquals(List.of("up", ""), names(filter.apply(REQUEST)));
        filter.setKeep(true);
        assertEquals(List.of("go_goroutines"), names(filter.apply(REQUEST)));
        filter.setLabel("job");
        assertEquals(List.of("up"), names(filter.apply(REQUEST)));
        filter.setRegex("");
        assertEquals(List.of(), names(filter.apply(REQUEST)), "a missing label is the empty string, not here");
    }

    @Test
    void staticLabelsAreAddedInSortedPlaceWithoutOverwriting() {
        StaticLabels labels = new StaticLabels();
        labels.setLabels("cluster=eu, job=ignored ,zone=b");

        TimeSeries first = labels.apply(REQUEST).getTimeseries(0);

        assertEquals(List.of("__name__=go_goroutines", "cluster=eu", "job=a", "zone=b"),
                first.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue()).toList());
        assertThrows(IllegalArgumentException.class, () -> labels.setLabels("cluster"));
    }

    private static List<String> names(WriteRequest request) {
        return request.getTimeseriesList().stream().map(s -> s.getLabelsList().stream()
                .filter(l -> l.getName().equals("__name__")).map(Label::getValue).findFirst().orElse("")).toList();
    }

    private static TimeSeries series(Label... labels) {
        return TimeSeries.newBuilder().addAllLabels(List.of(labels)).build();
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }
}
