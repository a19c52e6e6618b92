package io.github.promkinesis.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.protocol.writev2.Metadata;
import io.github.promkinesis.protocol.writev2.Request;
import io.github.promkinesis.protocol.writev2.TimeSeries;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Turns a remote-write 2.0 request into the flow's one representation, the 1.0 WriteRequest, so both versions
 * share the extension point, the JSON lines and the delivery. Symbol references are resolved (out of range or an
 * odd label count is 400 at once); per-series metadata becomes the request's metadata, once per metric; created
 * and start timestamps are kept. Histograms have the same wire format in both versions. A series without a
 * metric name is left out and remembered: the rest is delivered, then refuseLeftOut answers 400 saying so, so
 * Prometheus drops only what cannot be stored and the written counts say what was.
 */
public final class WriteV2ToWriteRequest {

    static final String LEFT_OUT_PROPERTY = "promkinesis.seriesLeftOut";

    public WriteRequest convert(Request request, Exchange exchange) {
        WriteRequest converted = toWriteRequest(request);
        int leftOut = request.getTimeseriesCount() - converted.getTimeseriesCount();
        if (leftOut > 0) {
            exchange.setProperty(LEFT_OUT_PROPERTY, leftOut);
        }
        return converted;
    }

    /** After delivery: 400 if series were left out, the written counts already set for the answer. */
    public void refuseLeftOut(Exchange exchange) {
        Integer leftOut = exchange.getProperty(LEFT_OUT_PROPERTY, Integer.class);
        if (leftOut != null) {
            throw new InvalidRequestException(leftOut + " series without a metric name (__name__) were not written");
        }
    }

    WriteRequest toWriteRequest(Request request) {
        List<String> symbols = request.getSymbolsList();
        WriteRequest.Builder converted = WriteRequest.newBuilder();
        Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
        for (int s = 0; s < request.getTimeseriesCount(); s++) {
            TimeSeries series = request.getTimeseries(s);
            io.github.promkinesis.protocol.prompb.TimeSeries.Builder out =
                    io.github.promkinesis.protocol.prompb.TimeSeries.newBuilder()
                            .setCreatedTimestamp(series.getCreatedTimestamp());
            String metricName = "";
            List<Integer> refs = series.getLabelsRefsList();
            checkPairs(refs, "series " + s);
            for (int i = 0; i < refs.size(); i += 2) {
                Label label = Label.newBuilder().setName(symbol(symbols, refs.get(i), s))
                        .setValue(symbol(symbols, refs.get(i + 1), s)).build();
                if (label.getName().equals(SeriesLabels.METRIC_NAME)) {
                    metricName = label.getValue();
                }
                out.addLabels(label);
            }
            if (metricName.isEmpty()) {
                continue; // remembered by convert(request, exchange)
            }
            for (io.github.promkinesis.protocol.writev2.Sample sample : series.getSamplesList()) {
                out.addSamples(Sample.newBuilder().setValue(sample.getValue()).setTimestamp(sample.getTimestamp())
                        .setStartTimestamp(sample.getStartTimestamp()));
            }
            for (io.github.promkinesis.protocol.writev2.Histogram histogram : series.getHistogramsList()) {
                out.addHistograms(sameWireFormat(histogram));
            }
            for (io.github.promkinesis.protocol.writev2.Exemplar exemplar : series.getExemplarsList()) {
                out.addExemplars(exemplar(symbols, exemplar, s));
            }
            if (series.hasMetadata() && !metadata.containsKey(metricName)) {
                MetricMetadata described = metadata(symbols, series.getMetadata(), metricName, s);
                if (described != null) {
                    metadata.put(metricName, described);
                }
            }
            converted.addTimeseries(out);
        }
        return converted.addAllMetadata(metadata.values()).build();
    }

    private static Exemplar exemplar(List<String> symbols, io.github.promkinesis.protocol.writev2.Exemplar exemplar,
                                     int series) {
        Exemplar.Builder out = Exemplar.newBuilder().setValue(exemplar.getValue()).setTimestamp(exemplar.getTimestamp());
        List<Integer> refs = exemplar.getLabelsRefsList();
        checkPairs(refs, "an exemplar of series " + series);
        for (int i = 0; i < refs.size(); i += 2) {
            out.addLabels(Label.newBuilder().setName(symbol(symbols, refs.get(i), series))
                    .setValue(symbol(symbols, refs.get(i + 1), series)));
        }
        return out.build();
    }

    /** Type, help and unit; none when the sender said nothing (type unspecified, empty help and unit). */
    private static MetricMetadata metadata(List<String> symbols, Metadata metadata, String metricName, int series) {
        String help = symbol(symbols, metadata.getHelpRef(), series);
        String unit = symbol(symbols, metadata.getUnitRef(), series);
        if (metadata.getTypeValue() == 0 && help.isEmpty() && unit.isEmpty()) {
            return null;
        }
        // the two enums number the types alike (0 unknown/unspecified ... 7 stateset)
        return MetricMetadata.newBuilder().setTypeValue(metadata.getTypeValue()).setMetricFamilyName(metricName)
                .setHelp(help).setUnit(unit).build();
    }

    private static Histogram sameWireFormat(io.github.promkinesis.protocol.writev2.Histogram histogram) {
        try {
            return Histogram.parseFrom(histogram.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("1.0 and 2.0 histograms share one wire format", e);
        }
    }

    private static void checkPairs(List<Integer> refs, String where) {
        if (refs.size() % 2 != 0) {
            throw new InvalidRequestException(where + " has an odd number of label references (" + refs.size() + ")");
        }
    }

    private static String symbol(List<String> symbols, int ref, int series) {
        if (ref < 0 || ref >= symbols.size()) { // uint32 refs above 2^31 arrive negative: out of range too
            throw new InvalidRequestException("series " + series + " refers to symbol " + Integer.toUnsignedLong(ref)
                    + " of " + symbols.size());
        }
        return symbols.get(ref);
    }
}
