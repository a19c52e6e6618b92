package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * STREAM_NAME as a stream ARN, as users writing into another account's stream give it: every call names the
 * stream by StreamARN (the proxy in front of kinesalite takes it as the service does), and the samples arrive.
 */
class StreamArnIT {

    @Test
    void aStreamNamedByItsArnTakesTheSamples() throws Exception {
        String arn = "arn:aws:kinesis:" + Kinesalite.REGION + ":000000000000:stream/streamarnit";
        try (Deployment it = Deployment.behindProxy("StreamArnIT", 1, 1, Map.of("STREAM_NAME", arn))) {
            List<String> mark = it.mark();
            byte[] body = RemoteWriteBodies.fixture();

            assertEquals(204, it.adapter.remoteWrite("/receive", body).statusCode());

            assertEquals(SampleLines.sent(RemoteWriteBodies.parse(body)), it.arrivedSince(mark));
            assertTrue(it.proxy.callsByArn.get() >= 2, "readiness and PutRecords by ARN: " + it.proxy.callsByArn);
            assertEquals(0, it.proxy.callsByName.get(), "no call by the name");
            assertTrue(it.adapter.log().contains("Kinesis stream " + arn + " takes records"), it.adapter.log());
        }
    }
}
