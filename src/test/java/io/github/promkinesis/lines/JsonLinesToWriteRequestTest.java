package io.github.promkinesis.lines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lines written back into a request: the bytes written in place for the writer's float lines, or the series
 * the reader made of them, parse to the same WriteRequest protobuf's own classes build from the lines read, a
 * series per line, every value's bits kept.
 */
class JsonLinesToWriteRequestTest {

    @Test
    void linesOfEveryKindBecomeTheRequestProtobufsClassesWouldBuild() throws Exception {
        Random random = new Random(11);
        WriteRequest.Builder sent = WriteRequest.newBuilder();
        for (int i = 0; i < 3_000; i++) {
            TimeSeries.Builder series = TimeSeries.newBuilder()
                    .addLabels(label("__name__", "m" + random.nextInt(50)));
            for (int l = 0; l < random.nextInt(12); l++) {
                series.addLabels(label("l" + l, random.nextInt(20) == 0 ? "\"\u00e9\t🙂" : "v" + random.nextInt(300)));
            }
            series.addSamples(Sample.newBuilder().setTimestamp(random.nextLong() >> random.nextInt(64))
                    .setValue(JsonLineReaderTest.anyValue(random)));
            if (i % 100 == 0) {
                series.addExemplars(Exemplar.newBuilder().addLabels(label("trace_id", "t" + i)).setValue(0.5)
                        .setTimestamp(i));
                series.addHistograms(Histogram.newBuilder().setCountInt(3).setSum(1.5).setSchema(0)
                        .addPositiveSpans(BucketSpan.newBuilder().setOffset(1).setLength(2))
                        .addPositiveDeltas(1).addPositiveDeltas(1).setTimestamp(i));
            }
            sent.addTimeseries(series);
        }
        sent.addMetadata(MetricMetadata.newBuilder().setMetricFamilyName("m1").setType(MetricMetadata.MetricType.GAUGE)
                .setHelp("help").setUnit("seconds"));
        JsonLineWriter writer = ShippedDefaults.encoder();
        writer.setMetadataLines(true);
        JsonLines lines = writer.toJsonLines(sent.build());

        JsonLinesToWriteRequest encoder = new JsonLinesToWriteRequest();
        // the same lines, float samples given as the series the reader makes of them while sorting
        JsonLinesToWriteRequest fromSeries = new JsonLinesToWriteRequest();
        JsonLineReader keys = new JsonLineReader();
        JsonLineReader reader = new JsonLineReader();
        WriteRequest.Builder expected = WriteRequest.newBuilder();
        List<Long> expectedBits = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ByteBuffer line = lines.slice(i, i + 1);
            byte[] bytes = new byte[line.remaining() - 1]; // without its newline
            line.get(bytes);
            encoder.add(bytes, 0, bytes.length);
            if (keys.key(bytes, 0, bytes.length)) {
                fromSeries.add(keys.keySeries(), 0, keys.keySeriesLength());
            } else {
                fromSeries.add(bytes, 0, bytes.length);
            }
            ArchivedLine read = reader.read(bytes, 0, bytes.length);
            switch (read.kind()) {
                case SAMPLE -> {
                    expected.addTimeseries(TimeSeries.newBuilder().addAllLabels(read.labels()).addSamples(
                            Sample.newBuilder().setValue(read.value()).setTimestamp(read.time())));
                    expectedBits.add(Double.doubleToRawLongBits(read.value()));
                }
                case EXEMPLAR -> expected.addTimeseries(TimeSeries.newBuilder().addAllLabels(read.labels())
                        .addExemplars(Exemplar.newBuilder().addAllLabels(read.exemplarLabels()).setValue(read.value())
                                .setTimestamp(read.time())));
                case HISTOGRAM -> expected.addTimeseries(TimeSeries.newBuilder().addAllLabels(read.labels())
                        .addHistograms(read.histogram()));
                case METADATA -> expected.addMetadata(read.metadata());
            }
        }
        WriteRequest encoded = WriteRequest.parseFrom(encoder.request());

        assertEquals(expected.build(), encoded);
        assertArrayEquals(encoder.request(), fromSeries.request(), "the same bytes, whichever way a sample came");
        List<Long> bits = new ArrayList<>();
        encoded.getTimeseriesList().forEach(series -> series.getSamplesList()
                .forEach(sample -> bits.add(Double.doubleToRawLongBits(sample.getValue()))));
        assertEquals(expectedBits, bits, "every value's bits, the staleness marker's among them");
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }
}
