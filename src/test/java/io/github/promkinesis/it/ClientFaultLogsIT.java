package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Client faults are the client's: against the released jar, 50 requests abandoned mid-body (raw sockets) and 50
 * bodies over the size limit add no ERROR line and at most a few WARN lines, each kind counted; valid requests
 * keep getting 204 and their samples arrive.
 */
class ClientFaultLogsIT {

    @Test
    void abandonedAndOversizedBodiesNeverFloodTheLog() throws Exception {
        try (Deployment it = Deployment.direct("ClientFaultLogsIT", 1, Map.of("MAX_BODY_BYTES", "100000"))) {
            List<String> mark = it.mark();
            int logBefore = it.adapter.log().length();
            for (int i = 0; i < 50; i++) {
                try (Socket socket = new Socket("127.0.0.1", it.adapter.uri("/").getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /receive HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: snappy\r\n"
                            + "Content-Type: application/x-protobuf\r\nContent-Length: 50000\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[1000]);
                    out.flush();
                }
            }
            for (int i = 0; i < 50; i++) {
                assertEquals(413, it.adapter.remoteWrite("/receive", new byte[200_000]).statusCode());
            }
            byte[] body = RemoteWriteBodies.fixture();
            assertEquals(204, it.adapter.remoteWrite("/receive", body).statusCode());
            assertEquals(SampleLines.sent(RemoteWriteBodies.parse(body)), it.arrivedSince(mark));
            Thread.sleep(1000);

            List<String> lines = it.adapter.log().substring(logBefore).lines().toList();
            assertTrue(lines.stream().noneMatch(line -> line.contains(" ERROR ")), String.join("\n", lines));
            long warnings = lines.stream().filter(line -> line.contains(" WARN ")).count();
            assertTrue(warnings <= 4, warnings + " WARN lines:\n" + String.join("\n", lines));
            String metrics = it.adapter.http().send(java.net.http.HttpRequest.newBuilder(it.adapter.uri("/observe/metrics"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("prometheus_remote_kinesis_requests_abandoned_total 50.0"), metrics);
            assertTrue(metrics.contains("code=\"413\"") , metrics);
        }
    }
}
