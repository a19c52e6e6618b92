package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** While Kinesis cannot be reached the answer is 5xx, never 2xx, and delivery resumes when it returns. */
class KinesisDownIT {

    @Test
    void kinesisStoppedMeans503AndRecoveryNeedsNoRestart() throws Exception {
        try (Deployment it = Deployment.withOwnKinesalite("KinesisDownIT", 1, null, Map.of())) {
            Endpoint adapter = it.adapter;
            WriteRequest before = RemoteWriteBodies.generated("before", 2, 3, 1);
            assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(before)).statusCode());

            it.kinesis.stop();
            HttpResponse<String> down = adapter.remoteWrite("/receive",
                    RemoteWriteBodies.snappy(RemoteWriteBodies.generated("down", 2, 3, 2)));
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(adapter.log().contains("answered 503"), adapter.log());

            it.kinesis.start();
            List<String> mark = it.mark();
            WriteRequest after = RemoteWriteBodies.generated("after", 2, 3, 3);
            assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(after)).statusCode());
            assertEquals(SampleLines.sent(after), it.arrivedSince(mark));
        }
    }
}
