package io.github.promkinesis.restore;

import io.github.promkinesis.protocol.RemoteWriteStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restore's sink: POSTs one remote-write 1.0 request (snappy protobuf) to the receiver, as Prometheus does.
 * 5xx, 429 and connection failures are retried with backoff (Retry-After honoured) until accepted, so nothing
 * read is lost; any other 4xx is the receiver refusing the data for good: counted and logged with its answer.
 */
public final class RemoteWriteSender {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteSender.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final HttpClient http;
    private final URI receiver;
    private final String authorization;
    private final RestoreStats stats;

    RemoteWriteSender(URI receiver, ReceiverAccess access, RestoreStats stats) {
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (access.tls() != null) {
            client.sslContext(access.tls());
        }
        this.http = client.build();
        this.receiver = receiver;
        this.authorization = access.authorization();
        this.stats = stats;
    }

    public void send(byte[] body, Exchange exchange) throws InterruptedException {
        int samples = exchange.getProperty(RestoreRequests.SAMPLES, Integer.class);
        HttpRequest.Builder request = HttpRequest.newBuilder(receiver).timeout(Duration.ofSeconds(60))
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .header("User-Agent", "prometheus-remote-kinesis-restore")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int attempt = 1; ; attempt++) {
            long waitMillis;
            String why;
            try {
                HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = answer.statusCode();
                if (status / 100 == 2) {
                    stats.samplesAccepted.add(samples);
                    stats.requests.increment();
                    return;
                }
                if (!RemoteWriteStatus.resend(status)) {
                    stats.samplesRefused.add(samples);
                    stats.requests.increment();
                    LOG.error("the receiver refused {} samples with {}: {}", samples, status, oneLine(answer.body()));
                    return;
                }
                why = "answered " + status;
                waitMillis = answer.headers().firstValue("Retry-After").map(RemoteWriteSender::seconds)
                        .orElse(backoff(attempt));
            } catch (SSLHandshakeException e) {
                if (certificateRefused(e)) {
                    // an untrusted or refused certificate does not heal by waiting
                    throw new IllegalStateException("TLS with receiver " + receiver + " failed: " + e.getMessage()
                            + " (RESTORE_TLS_CA_FILE, RESTORE_TLS_CERT_FILE, RESTORE_TLS_KEY_FILE)");
                }
                why = "cannot reach it: " + e;
                waitMillis = backoff(attempt);
            } catch (IOException e) {
                why = "cannot reach it: " + e;
                waitMillis = backoff(attempt);
            }
            stats.retries.increment();
            LOG.warn("receiver {} {}; retrying in {} ms (attempt {})", receiver, why, waitMillis, attempt);
            Thread.sleep(waitMillis);
        }
    }

    private static boolean certificateRefused(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static long backoff(int attempt) {
        long ceiling = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(attempt - 1, 20));
        return 1 + ThreadLocalRandom.current().nextLong(ceiling);
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.min(MAX_BACKOFF_MILLIS, Long.parseLong(retryAfter.trim()) * 1000);
        } catch (NumberFormatException dateOrJunk) {
            return 1000;
        }
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
