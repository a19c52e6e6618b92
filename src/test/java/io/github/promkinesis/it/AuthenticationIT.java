package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** basic_auth and bearer credentials as Prometheus sends them; 401 writes nothing and no secret is logged. */
class AuthenticationIT {

    private static final String PASSWORD = "s3cret-pässword";
    private static final String TOKEN = "token-0123456789abcdef";

    private static Deployment it;
    private static Endpoint adapter;

    @BeforeAll
    static void start() throws Exception {
        it = Deployment.inProcess("AuthenticationIT", 1, Map.of("AUTH_BASIC_USERNAME", "prometheus",
                "AUTH_BASIC_PASSWORD", PASSWORD, "AUTH_BEARER_TOKEN", TOKEN));
        adapter = it.adapter;
    }

    @AfterAll
    static void stop() throws Exception {
        it.close();
    }

    @Test
    void rightBasicOrBearerCredentialsDeliver() throws Exception {
        for (String authorization : List.of(basic("prometheus", PASSWORD), "Bearer " + TOKEN)) {
            WriteRequest request = RemoteWriteBodies.generated("auth-ok", 2, 3, authorization.length());
            List<String> mark = it.mark();

            assertEquals(204, send(request, authorization).statusCode());
            assertEquals(SampleLines.sent(request), it.arrivedSince(mark));
        }
    }

    @Test
    void missingOrWrongCredentialsAre401AndWriteNothing() throws Exception {
        List<String> mark = it.mark();
        WriteRequest request = RemoteWriteBodies.generated("auth-refused", 2, 3, 1);

        for (String authorization : new String[] {null, basic("prometheus", "wrong"), basic("other", PASSWORD),
            "Bearer wrong", "Bearer " + TOKEN + "x", TOKEN}) {
            HttpResponse<String> response = send(request, authorization);
            assertEquals(401, response.statusCode(), authorization);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        }

        assertEquals(List.of(), it.arrivedSince(mark));
        String log = adapter.log();
        assertTrue(log.contains("refused with 401"), log);
        for (String secret : List.of(PASSWORD, TOKEN, basic("prometheus", PASSWORD).substring(6))) {
            assertFalse(log.contains(secret), "a secret in the log");
        }
    }

    private static HttpResponse<String> send(WriteRequest request, String authorization) throws Exception {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Encoding", "snappy",
                "Content-Type", "application/x-protobuf"));
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), headers);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
