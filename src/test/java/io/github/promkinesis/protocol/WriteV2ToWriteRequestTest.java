package io.github.promkinesis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.protocol.writev2.BucketSpan;
import io.github.promkinesis.protocol.writev2.Exemplar;
import io.github.promkinesis.protocol.writev2.Histogram;
import io.github.promkinesis.protocol.writev2.Metadata;
import io.github.promkinesis.protocol.writev2.Request;
import io.github.promkinesis.protocol.writev2.Sample;
import io.github.promkinesis.protocol.writev2.TimeSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteV2ToWriteRequestTest {

    private static final List<String> SYMBOLS = List.of("", "__name__", "http_requests_total", "job", "api",
            "Requests served.", "requests", "trace_id", "abc123", "latency_seconds");

    private final WriteV2ToWriteRequest converter = new WriteV2ToWriteRequest();

    @Test
    void resolvesLabelsSamplesExemplarsMetadataAndCreatedTimestamp() {
        Request request = Request.newBuilder().addAllSymbols(SYMBOLS)
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 4))
                        .addSamples(Sample.newBuilder().setValue(7).setTimestamp(1000))
                        .addExemplars(Exemplar.newBuilder().addAllLabelsRefs(List.of(7, 8)).setValue(0.5).setTimestamp(999))
                        .setMetadata(Metadata.newBuilder().setType(Metadata.MetricType.METRIC_TYPE_COUNTER)
                                .setHelpRef(5).setUnitRef(6))
                        .setCreatedTimestamp(500))
                .build();

        WriteRequest converted = converter.toWriteRequest(request);

        var series = converted.getTimeseries(0);
        assertEquals("__name__=http_requests_total,job=api", series.getLabelsList().stream()
                .map(l -> l.getName() + "=" + l.getValue()).reduce((a, b) -> a + "," + b).orElse(""));
        assertEquals(7.0, series.getSamples(0).getValue());
        assertEquals(1000, series.getSamples(0).getTimestamp());
        assertEquals("trace_id", series.getExemplars(0).getLabels(0).getName());
        assertEquals("abc123", series.getExemplars(0).getLabels(0).getValue());
        assertEquals(0.5, series.getExemplars(0).getValue());
        assertEquals(500, series.getCreatedTimestamp());
        assertEquals(List.of(MetricMetadata.newBuilder().setType(MetricMetadata.MetricType.COUNTER)
                .setMetricFamilyName("http_requests_total").setHelp("Requests served.").setUnit("requests").build()),
                converted.getMetadataList());
    }

    @Test
    void histogramsKeepEveryField() {
        Histogram histogram = Histogram.newBuilder().setCountInt(12).setSum(3.5).setSchema(-53).setZeroThreshold(1e-9)
                .setZeroCountInt(1).addNegativeSpans(BucketSpan.newBuilder().setOffset(-2).setLength(1))
                .addNegativeDeltas(2).addPositiveSpans(BucketSpan.newBuilder().setOffset(0).setLength(2))
                .addAllPositiveDeltas(List.of(4L, -1L)).setResetHint(Histogram.ResetHint.RESET_HINT_GAUGE)
                .setTimestamp(42).addAllCustomValues(List.of(0.1, 1.0)).build();
        Request request = Request.newBuilder().addAllSymbols(SYMBOLS)
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 9)).addHistograms(histogram)).build();

        var converted = converter.toWriteRequest(request).getTimeseries(0).getHistograms(0);

        assertEquals(histogram.toByteString(), converted.toByteString());
        assertEquals(12, converted.getCountInt());
        assertEquals(List.of(0.1, 1.0), converted.getCustomValuesList());
    }

    @Test
    void metadataIsKeptOncePerMetricAndOnlyWhenSaid() {
        TimeSeries described = TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                .setMetadata(Metadata.newBuilder().setType(Metadata.MetricType.METRIC_TYPE_GAUGE)).build();
        TimeSeries silent = TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 9)).setMetadata(Metadata.getDefaultInstance())
                .build();
        Request request = Request.newBuilder().addAllSymbols(SYMBOLS).addTimeseries(described).addTimeseries(described)
                .addTimeseries(silent).build();

        assertEquals(1, converter.toWriteRequest(request).getMetadataCount());
    }

    @Test
    void seriesWithoutAMetricNameAreLeftOutAndTheSampleStartTimestampKept() {
        Request request = Request.newBuilder().addAllSymbols(SYMBOLS)
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(3, 4))
                        .addSamples(Sample.newBuilder().setValue(1).setTimestamp(2)))
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                        .addSamples(Sample.newBuilder().setValue(1).setTimestamp(2).setStartTimestamp(1)))
                .build();

        WriteRequest converted = converter.toWriteRequest(request);

        assertEquals(1, converted.getTimeseriesCount());
        assertEquals(1, converted.getTimeseries(0).getSamples(0).getStartTimestamp());
    }

    @Test
    void badReferencesAreRefused() {
        Request base = Request.newBuilder().addAllSymbols(SYMBOLS).build();
        assertThrows(InvalidRequestException.class, () -> converter.toWriteRequest(base.toBuilder()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 10))).build()));
        assertThrows(InvalidRequestException.class, () -> converter.toWriteRequest(base.toBuilder()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3))).build()));
        assertThrows(InvalidRequestException.class, () -> converter.toWriteRequest(base.toBuilder()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2)).addExemplars(
                        Exemplar.newBuilder().addLabelsRefs(7))).build()));
        assertThrows(InvalidRequestException.class, () -> converter.toWriteRequest(base.toBuilder()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                        .setMetadata(Metadata.newBuilder().setUnitRef(-1))).build()));
    }
}
