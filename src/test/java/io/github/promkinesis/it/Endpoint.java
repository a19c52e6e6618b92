package io.github.promkinesis.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** An adapter under test as Prometheus sees it: an HTTP endpoint, and the log it writes. */
public interface Endpoint extends AutoCloseable {

    URI uri(String path);

    /** HTTP/1.1 as Prometheus speaks it. */
    HttpClient http();

    String log() throws IOException;

    /** POSTs a body as Prometheus does: snappy-compressed protobuf with its usual headers. */
    default HttpResponse<String> remoteWrite(String path, byte[] body) throws Exception {
        return send(path, "POST", body, Map.of("Content-Encoding", "snappy",
                "Content-Type", "application/x-protobuf",
                "X-Prometheus-Remote-Write-Version", "0.1.0"));
    }

    default HttpResponse<String> send(String path, String method, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
