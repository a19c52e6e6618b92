package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/** Requests through the real HTTP endpoint into kinesalite, read back and compared sample by sample. */
class RemoteWriteIT {

    private static Deployment it;
    private static Endpoint adapter;

    @BeforeAll
    static void start() throws Exception {
        it = Deployment.direct("RemoteWriteIT", 2, Map.of());
        adapter = it.adapter;
    }

    @AfterAll
    static void stop() throws Exception {
        it.close();
    }

    @Test
    void theBodyPrometheusSentArrivesSampleBySample() throws Exception {
        byte[] body = RemoteWriteBodies.fixture();

        List<String> arrived = deliver("/receive", body);

        List<String> sent = SampleLines.sent(RemoteWriteBodies.parse(body));
        assertEquals(418, sent.size());
        assertEquals(sent, arrived);
    }

    @Test
    void threeSeriesOfSevenHundredSamplesOnTheApiV1WritePath() throws Exception {
        WriteRequest request = RemoteWriteBodies.generated("3x700", 3, 700, 1);

        assertEquals(SampleLines.sent(request), deliver("/api/v1/write", RemoteWriteBodies.snappy(request)));
    }

    @Test
    void twentyThousandSamplesInOneRequestSpreadOverBothShards() throws Exception {
        WriteRequest request = RemoteWriteBodies.generated("20k", 2000, 10, 2);
        List<String> mark = it.mark();

        HttpResponse<String> response = adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));

        assertEquals(204, response.statusCode(), response.body());
        List<Record> records = it.stream.read(mark);
        assertEquals(SampleLines.sent(request), SampleLines.received(records));
        assertEquals(20_000, records.size());
        assertEquals(2, shardsWithRecords(mark), "random partition keys spread the batches over both shards");
    }

    @Test
    void aRequestWithZeroSeriesIsAnswered204AndWritesNothing() throws Exception {
        WriteRequest metadataOnly = WriteRequest.newBuilder().addMetadata(MetricMetadata.newBuilder()
                .setType(MetricMetadata.MetricType.COUNTER).setMetricFamilyName("up_total").setHelp("help")).build();

        assertEquals(List.of(), deliver("/receive", RemoteWriteBodies.snappy(metadataOnly)));
        assertEquals(List.of(), deliver("/receive", RemoteWriteBodies.snappy(WriteRequest.getDefaultInstance())));
    }

    @Test
    void unicodeAndEscapedLabelsArriveUnchanged() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(TimeSeries.newBuilder()
                        .addLabels(label("__name__", "température_°C"))
                        .addLabels(label("city", "Zürich \"HB\" \\ 東京 😀"))
                        .addLabels(label("ctl", "tab\tnewline\nnul\u0000cr\r"))
                        .addSamples(sample(21.5, 1_795_000_000_000L)))
                .addTimeseries(TimeSeries.newBuilder()
                        .addLabels(label("job", "no-metric-name"))
                        .addSamples(sample(1, 1_795_000_000_001L)))
                .build();

        assertEquals(SampleLines.sent(request), deliver("/receive", RemoteWriteBodies.snappy(request)));
    }

    @Test
    void nanInfinitiesAndStalenessMarkersArriveDistinguishable() throws Exception {
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        WriteRequest request = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                .addLabels(label("__name__", "special"))
                .addSamples(sample(Double.NaN, 1)).addSamples(sample(stale, 2))
                .addSamples(sample(Double.POSITIVE_INFINITY, 3)).addSamples(sample(Double.NEGATIVE_INFINITY, 4))
                .addSamples(sample(-0.0, 5)).addSamples(sample(Double.MIN_VALUE, 6))).build();

        List<String> arrived = deliver("/receive", RemoteWriteBodies.snappy(request));

        assertEquals(SampleLines.sent(request), arrived);
        assertTrue(arrived.stream().anyMatch(s -> s.contains("NaN(stale)")));
    }

    @Test
    void successIsAnEmpty204WithoutEchoedRequestHeaders() throws Exception {
        HttpResponse<String> response = adapter.remoteWrite("/receive",
                RemoteWriteBodies.snappy(RemoteWriteBodies.generated("headers", 1, 1, 3)));

        assertEquals(204, response.statusCode());
        assertEquals("", response.body());
        for (String echoed : List.of("content-encoding", "x-prometheus-remote-write-version", "content-type")) {
            assertFalse(response.headers().firstValue(echoed).isPresent(), echoed + " echoed back");
        }
    }

    /** Sends the body, expects 204, and returns what arrived in the stream because of it. */
    private static List<String> deliver(String path, byte[] body) throws Exception {
        List<String> mark = it.mark();
        HttpResponse<String> response = adapter.remoteWrite(path, body);
        assertEquals(204, response.statusCode(), response.body());
        return it.arrivedSince(mark);
    }

    private static long shardsWithRecords(List<String> mark) {
        return mark.stream().filter(iterator -> !it.stream.read(List.of(iterator)).isEmpty()).count();
    }
}
