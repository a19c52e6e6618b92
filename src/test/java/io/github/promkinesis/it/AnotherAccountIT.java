package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writing into another account's stream, as users set it up: STREAM_NAME as the stream's ARN (every call names
 * the stream by StreamARN; the proxy in front of kinesalite takes it as the service does), and a role assumed
 * with STS (a stand-in issuing short-lived credentials) whose credentials sign every PutRecords and are renewed.
 */
class AnotherAccountIT {

    private static final String ROLE = "arn:aws:iam::210987654321:role/metrics-writer";

    @Test
    void aStreamNamedByItsArnTakesTheSamples() throws Exception {
        String arn = "arn:aws:kinesis:" + Kinesalite.REGION + ":000000000000:stream/anotheraccountit-arn";
        try (Deployment it = Deployment.behindProxy("AnotherAccountIT-arn", 1, 1, Map.of("STREAM_NAME", arn))) {
            List<String> mark = it.mark();
            byte[] body = RemoteWriteBodies.fixture();

            assertEquals(204, it.adapter.remoteWrite("/receive", body).statusCode());

            assertEquals(SampleLines.sent(RemoteWriteBodies.parse(body)), it.arrivedSince(mark));
            assertTrue(it.proxy.callsByArn.get() >= 2, "readiness and PutRecords by ARN: " + it.proxy.callsByArn);
            assertEquals(0, it.proxy.callsByName.get(), "no call by the name");
            assertTrue(it.adapter.log().contains("Kinesis stream " + arn + " takes records"), it.adapter.log());
        }
    }

    @Test
    void anAssumedRoleSignsEveryCallAndIsRenewedBeforeItExpires() throws Exception {
        try (StsStandIn sts = new StsStandIn(ROLE, "ext-4242", "test", Duration.ofSeconds(65));
             Deployment it = Deployment.behindProxy("AnotherAccountIT-role", 1, 1, Map.of(
                     "AWS_ASSUME_ROLE_ARN", ROLE, "AWS_ASSUME_ROLE_EXTERNAL_ID", "ext-4242",
                     "STS_ENDPOINT", sts.endpoint()))) {
            List<String> mark = it.mark();
            byte[] body = RemoteWriteBodies.fixture();
            assertEquals(204, it.adapter.remoteWrite("/receive", body).statusCode());
            int firstIssued = sts.issued.size();
            // the SDK takes credentials as stale a minute before they expire: 65 s ones are stale after 5 s
            Thread.sleep(7_000);
            assertEquals(204, it.adapter.remoteWrite("/receive", body).statusCode());
            assertTrue(sts.issued.size() > firstIssued, "credentials renewed: " + sts.issued.keySet());

            List<String> expected = new java.util.ArrayList<>(SampleLines.sent(RemoteWriteBodies.parse(body)));
            expected.addAll(SampleLines.sent(RemoteWriteBodies.parse(body)));
            List<String> arrived = new java.util.ArrayList<>(it.arrivedSince(mark));
            expected.sort(null);
            arrived.sort(null);
            assertEquals(expected, arrived);
            List<String> signedBy = it.proxy.putRecordsSignedBy;
            assertFalse(signedBy.isEmpty());
            for (String call : signedBy) {
                String[] keyAndToken = call.split(" ");
                assertEquals(sts.issued.get(keyAndToken[0]), keyAndToken[1], "signed with issued credentials: " + call);
            }
            assertTrue(signedBy.stream().map(call -> call.split(" ")[0]).distinct().count() > 1,
                    "later calls signed with renewed credentials: " + signedBy);
            String log = it.adapter.log();
            assertTrue(log.contains("Kinesis calls signed with role " + ROLE), log);
            assertFalse(log.contains("ext-4242"), "the external ID is never logged");
        }
    }
}
