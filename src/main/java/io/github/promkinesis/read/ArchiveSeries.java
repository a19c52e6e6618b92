package io.github.promkinesis.read;

import io.github.promkinesis.http.TenantHeader;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.Query;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import org.apache.camel.Exchange;

/**
 * The {@code select-series} step: each query of the request as the series it selects, from the series index of
 * every compacted day its time range overlaps, merged by label set across days and put in Prometheus' label
 * order. The limits are checked here, before any sample is read: series, and samples counted from the index
 * (whole days' rows). A tenant's query sees only its tenant's series and gets them without the tenant label.
 */
public final class ArchiveSeries {

    private static final String METRIC_NAME = "__name__";

    private final ArchiveDays days;
    private final ReadLimits limits;
    private final String tenantLabel;

    public ArchiveSeries(ArchiveDays days, ReadLimits limits, String tenantLabel) {
        this.days = days;
        this.limits = limits;
        this.tenantLabel = tenantLabel;
    }

    /** The request's queries, in their order; with a tenant (TENANT_HEADER), only the tenant's series. */
    public List<SelectedQuery> select(Exchange exchange) throws IOException {
        ReadRequest request = exchange.getMessage().getBody(ReadRequest.class);
        String tenant = exchange.getProperty(TenantHeader.PROPERTY, String.class);
        List<SelectedQuery> selected = new ArrayList<>();
        for (Query query : request.getQueriesList()) {
            selected.add(select(query, tenant));
        }
        return selected;
    }

    private SelectedQuery select(Query query, String tenant) throws IOException {
        long start = query.getStartTimestampMs();
        long end = query.getEndTimestampMs();
        List<LabelMatcher> matchers = new ArrayList<>(query.getMatchersList());
        if (tenant != null) {
            matchers.add(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName(tenantLabel)
                    .setValue(tenant).build());
        }
        SeriesMatcher matcher = SeriesMatcher.of(matchers);
        String metricName = matcher.equalTo(METRIC_NAME);
        TreeMap<SelectedSeries, SelectedSeries> found = new TreeMap<>(SelectedSeries::compare);
        long samples = 0;
        if (start <= end) {
            for (LocalDate day : days.between(date(start), date(end))) {
                CompactedDay compacted = days.day(day);
                if (compacted == null) {
                    continue;
                }
                for (Iterator<DaySeries> candidates = compacted.candidates(metricName); candidates.hasNext(); ) {
                    DaySeries series = candidates.next();
                    if (series.maxTime() < start || series.minTime() > end
                            || !matcher.matches(series.labelNames(), series.labelValues())) {
                        continue;
                    }
                    SelectedSeries key = answered(series, tenant == null ? null : tenantLabel);
                    found.computeIfAbsent(key, k -> k).days().add(new SelectedSeries.Day(compacted, series));
                    samples += series.rows();
                    limits.checkSeries(found.size());
                    limits.checkSamples(samples);
                }
            }
        }
        return new SelectedQuery(start, end, new ArrayList<>(found.keySet()));
    }

    /** The series' labels as answered: without the tenant's. */
    private static SelectedSeries answered(DaySeries series, String tenantLabel) {
        String[] names = series.labelNames();
        String[] values = series.labelValues();
        int drop = tenantLabel == null ? -1 : Arrays.asList(names).indexOf(tenantLabel);
        if (drop < 0) {
            return new SelectedSeries(names, values);
        }
        String[] keptNames = new String[names.length - 1];
        String[] keptValues = new String[names.length - 1];
        for (int i = 0, j = 0; i < names.length; i++) {
            if (i != drop) {
                keptNames[j] = names[i];
                keptValues[j++] = values[i];
            }
        }
        return new SelectedSeries(keptNames, keptValues);
    }

    private static LocalDate date(long millis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }
}
