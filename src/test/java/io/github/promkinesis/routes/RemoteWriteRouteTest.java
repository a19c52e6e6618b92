package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.it.SampleLines;
import io.github.promkinesis.kinesis.RecordBatch;
import io.github.promkinesis.kinesis.WrittenCounts;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * routes/remote-write.yaml and the shipped transform.yaml in the JVM, the stream a mock: what Prometheus sends,
 * 1.0 or 2.0, reaches the sink as the same samples, in batches within PutRecords' limits, and the answer counts
 * them.
 */
class RemoteWriteRouteTest {

    @RegisterExtension
    static final MockSinkAdapter.PerClass ROUTES = new MockSinkAdapter.PerClass(Map.of());

    @Test
    void theFixtureAs1ReachesTheStreamSampleBySample() throws Exception {
        WriteRequest fixture = RemoteWriteBodies.parse(RemoteWriteBodies.fixture());

        HttpResponse<String> answer = ROUTES.adapter().remoteWrite("/receive", RemoteWriteBodies.fixture());

        assertWritten(fixture, answer);
    }

    @Test
    void theFixtureAs2ReachesTheStreamAsTheSameSamples() throws Exception {
        WriteRequest fixture = RemoteWriteBodies.parse(RemoteWriteBodies.fixture());

        HttpResponse<String> answer = ROUTES.adapter().send("/api/v1/write", "POST",
                RemoteWriteBodies.snappy(RemoteWriteBodies.toV2(fixture)), RemoteWriteBodies.V2_HEADERS);

        assertWritten(fixture, answer);
    }

    @Test
    void aLargeRequestIsSentInSeveralBatchesOfAtMost500Records() throws Exception {
        WriteRequest large = RemoteWriteBodies.generated("batches", 1_200, 1, 7);

        HttpResponse<String> answer = ROUTES.adapter().remoteWrite("/receive", RemoteWriteBodies.snappy(large));

        assertWritten(large, answer);
        List<Integer> sizes = ROUTES.adapter().sink().getReceivedExchanges().stream()
                .map(batch -> batch.getMessage().getBody(RecordBatch.class).records().size()).sorted().toList();
        assertEquals(List.of(200, 500, 500), sizes, "one record per sample, 500 to a PutRecords call");
    }

    @Test
    void theShippedTransformLeavesTheRequestAsItIs() throws Exception {
        WriteRequest request = RemoteWriteBodies.generated("transform", 3, 2, 11);

        Object out = ROUTES.adapter().template().requestBody("direct:transform-series", request);

        assertEquals(request, out);
    }

    /** 204, every sample sent at the sink once and nothing else, the answer's written counts. */
    private static void assertWritten(WriteRequest sent, HttpResponse<String> answer) {
        assertEquals(204, answer.statusCode(), answer.body());
        List<String> samples = SampleLines.sent(sent);
        assertTrue(samples.size() > 100, "a request worth batching: " + samples.size());
        assertEquals(samples, ROUTES.adapter().samplesSentTo("metrics"));
        assertEquals(List.of("metrics"), ROUTES.adapter().streams().stream().distinct().toList());
        assertEquals(String.valueOf(samples.size()), answer.headers().firstValue(WrittenCounts.SAMPLES).orElse(""));
        assertEquals("0", answer.headers().firstValue(WrittenCounts.HISTOGRAMS).orElse(""));
        for (Exchange batch : ROUTES.adapter().sink().getReceivedExchanges()) {
            assertTrue(batch.getMessage().getBody(RecordBatch.class).records().size() <= 500);
        }
    }
}
