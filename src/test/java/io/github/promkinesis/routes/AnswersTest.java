package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.it.SampleLines;
import io.github.promkinesis.kinesis.DeliveryFailedException;
import io.github.promkinesis.kinesis.WrittenCounts;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each answer of routes/answers.yaml, as the write route gives it in the JVM with credentials and a sample limit
 * configured and the stream a mock: the status, the reason, Retry-After only where Prometheus resends, and
 * nothing at the sink for a refused request.
 */
class AnswersTest {

    private static final String CREDENTIALS = "Basic " + Base64.getEncoder()
            .encodeToString("prometheus:s3cret".getBytes(StandardCharsets.UTF_8));
    private static final Map<String, String> V1 = Map.of("Content-Encoding", "snappy",
            "Content-Type", "application/x-protobuf", "X-Prometheus-Remote-Write-Version", "0.1.0",
            "Authorization", CREDENTIALS);
    private static final WriteRequest SMALL = RemoteWriteBodies.generated("answers", 10, 10, 3);

    @RegisterExtension
    static final MockSinkAdapter.PerClass ROUTES = new MockSinkAdapter.PerClass(Map.of(
            "AUTH_BASIC_USERNAME", "prometheus", "AUTH_BASIC_PASSWORD", "s3cret", "MAX_SAMPLES_PER_REQUEST", "100"));

    @Test
    void withCredentialsAndWithinTheLimitsTheRequestIsWritten() throws Exception {
        HttpResponse<String> answer = post(RemoteWriteBodies.snappy(SMALL), V1);

        assertEquals(204, answer.statusCode(), answer.body());
        assertEquals(SampleLines.sent(SMALL), ROUTES.adapter().samplesSentTo("metrics"));
        assertEquals("100", answer.headers().firstValue(WrittenCounts.SAMPLES).orElse(""));
    }

    @Test
    void corruptSnappyIs400() throws Exception {
        byte[] block = RemoteWriteBodies.snappy(SMALL);
        byte[] cutShort = Arrays.copyOf(block, block.length / 2);

        assertRefused(400, "InvalidSnappyException", post(cutShort, V1));
    }

    @Test
    void withoutOrWithWrongCredentialsIs401AskingForThem() throws Exception {
        Map<String, String> without = new HashMap<>(V1);
        without.remove("Authorization");
        Map<String, String> wrong = new HashMap<>(V1);
        wrong.put("Authorization", "Basic " + Base64.getEncoder().encodeToString("prometheus:guess".getBytes()));

        for (Map<String, String> headers : List.of(without, wrong)) {
            HttpResponse<String> answer = post(RemoteWriteBodies.snappy(SMALL), headers);
            assertRefused(401, "UnauthorizedException", answer);
            assertEquals("Basic realm=\"prometheus-remote-kinesis\"",
                    answer.headers().firstValue("WWW-Authenticate").orElse(""));
        }
    }

    @Test
    void overTheSampleLimitIs413() throws Exception {
        WriteRequest tooMany = RemoteWriteBodies.generated("answers", 11, 10, 3);

        assertRefused(413, "TooManySamplesException", post(RemoteWriteBodies.snappy(tooMany), V1));
    }

    @Test
    void aBodyThatIsNotSnappyProtobufIs415() throws Exception {
        Map<String, String> json = new HashMap<>(V1);
        json.put("Content-Type", "application/json");

        assertRefused(415, "UnsupportedMediaTypeException", post(RemoteWriteBodies.snappy(SMALL), json));
    }

    @Test
    void aSinkThatFailsIs503WithRetryAfterAndTheCountsOfWhatWasWritten() throws Exception {
        ROUTES.adapter().sink().whenAnyExchangeReceived(batch -> {
            throw new DeliveryFailedException("the stream took nothing");
        });

        HttpResponse<String> answer = post(RemoteWriteBodies.snappy(SMALL), V1);

        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("the stream took nothing"), answer.body());
        assertEquals("5", answer.headers().firstValue("Retry-After").orElse(""));
        assertEquals("0", answer.headers().firstValue(WrittenCounts.SAMPLES).orElse(""));
    }

    private static HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
        return ROUTES.adapter().send("/receive", "POST", body, headers);
    }

    /** The status, the exception's name in the one-line reason, no Retry-After, and nothing sent to the stream. */
    private static void assertRefused(int status, String reason, HttpResponse<String> answer) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.body().startsWith(reason + ": "), answer.body());
        assertEquals(List.of(), answer.headers().allValues("Retry-After"));
        assertEquals("0", answer.headers().firstValue(WrittenCounts.SAMPLES).orElse(""));
        assertEquals(0, ROUTES.adapter().sink().getReceivedCounter(), "nothing sent to the stream");
    }
}
