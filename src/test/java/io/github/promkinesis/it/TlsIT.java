package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTPS from PEM files made by openssl, as an operator makes them; plain HTTP is not served then. */
class TlsIT {

    @Test
    void remoteWriteOverHttpsDeliversAndPlainHttpIsNotServed() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Path certificate = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertEquals(0, openssl.waitFor(), "openssl made the certificate");

        try (Deployment it = Deployment.direct("TlsIT", 1,
                Map.of("TLS_CERT_FILE", certificate.toString(), "TLS_KEY_FILE", key.toString()))) {
            List<String> mark = it.mark();
            byte[] body = RemoteWriteBodies.fixture();

            assertEquals(204, it.adapter.remoteWrite("/receive", body).statusCode());
            assertEquals(SampleLines.sent(RemoteWriteBodies.parse(body)), it.arrivedSince(mark));

            assertEquals(0, it.jar().healthProbe(), "the container's HEALTHCHECK works over HTTPS");

            URI plain = URI.create(it.adapter.uri("/observe/health").toString().replace("https:", "http:"));
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }
}
