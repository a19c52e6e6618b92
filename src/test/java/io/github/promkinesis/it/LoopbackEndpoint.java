package io.github.promkinesis.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** An adapter in the test's JVM, listening on a free port of 127.0.0.1 over plain HTTP/1.1. */
public abstract class LoopbackEndpoint implements Endpoint {

    protected final int port = Ports.free();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public HttpClient http() {
        return http;
    }
}
