package io.github.promkinesis.transform;

import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds fixed labels to every series (like Prometheus' external_labels), e.g. {@code cluster=eu-prod,env=prod}.
 * A label the series already has is left as it is; labels stay sorted by name, as Prometheus sends them.
 */
public class StaticLabels {

    private final Map<String, String> labels = new LinkedHashMap<>();

    /** Comma-separated name=value pairs. */
    public void setLabels(String pairs) {
        labels.clear();
        for (String pair : pairs.split(",")) {
            String[] nameValue = pair.split("=", 2);
            if (nameValue.length != 2 || nameValue[0].isBlank()) {
                throw new IllegalArgumentException("static labels must be name=value pairs, got \"" + pair + "\"");
            }
            labels.put(nameValue[0].trim(), nameValue[1].trim());
        }
    }

    public WriteRequest apply(WriteRequest request) {
        return withLabels(request, labels, false);
    }

    /** The request with these labels on every series, replacing ones of the same name or not; sorted by name. */
    static WriteRequest withLabels(WriteRequest request, Map<String, String> labels, boolean replace) {
        WriteRequest.Builder labelled = request.toBuilder();
        for (int i = 0; i < labelled.getTimeseriesCount(); i++) {
            TimeSeries series = labelled.getTimeseries(i);
            List<Label> all = new ArrayList<>(series.getLabelsList());
            labels.forEach((name, value) -> {
                boolean present = all.stream().anyMatch(existing -> existing.getName().equals(name));
                if (present && replace) {
                    all.removeIf(existing -> existing.getName().equals(name));
                }
                if (!present || replace) {
                    all.add(Label.newBuilder().setName(name).setValue(value).build());
                }
            });
            all.sort(Comparator.comparing(Label::getName));
            labelled.setTimeseries(i, series.toBuilder().clearLabels().addAllLabels(all));
        }
        return labelled.build();
    }
}
