package io.github.promkinesis.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The released jar, started the way a user starts it: java -jar from the project root, configured by environment. */
final class Adapter implements AutoCloseable {

    static final Path JAR = Path.of("target/prometheus-remote-kinesis.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port = Ports.free();
    private final Path log;
    private final Process process;

    Adapter(String name, Map<String, String> settings) throws IOException {
        this(name, settings, Path.of(""));
    }

    /** Started in {@code workingDirectory}, where it looks for application.properties and the routes. */
    Adapter(String name, Map<String, String> settings, Path workingDirectory) throws IOException {
        log = Files.createDirectories(Path.of("target/it-logs")).resolve(name + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-jar", JAR.toAbsolutePath().toString())
                .directory(workingDirectory.toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("AWS_") || key.equals("STREAM_NAME")
                || key.equals("KINESIS_ENDPOINT"));
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        // kinesalite's CBOR is broken with SDK v2 (see BRIEF): JSON on the wire
        env.put("CBOR_ENABLED", "false");
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", String.valueOf(port));
        env.putAll(settings);
        process = builder.start();
    }

    /** A running adapter for the stream, ready to serve. */
    static Adapter against(Kinesalite kinesis, String stream, String name) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("STREAM_NAME", stream);
        settings.put("AWS_REGION", Kinesalite.REGION);
        settings.put("KINESIS_ENDPOINT", kinesis.endpoint());
        Adapter adapter = new Adapter(name, settings);
        adapter.awaitReady(Duration.ofSeconds(60));
        return adapter;
    }

    /** The port opens before the routes answer: readiness is the health endpoint saying UP. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("adapter exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/observe/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("adapter not ready after " + timeout + ":\n" + log());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** POSTs a body as Prometheus does: snappy-compressed protobuf with its usual headers. */
    HttpResponse<String> remoteWrite(String path, byte[] body) throws Exception {
        return send(path, "POST", body, Map.of("Content-Encoding", "snappy",
                "Content-Type", "application/x-protobuf",
                "X-Prometheus-Remote-Write-Version", "0.1.0"));
    }

    HttpResponse<String> send(String path, String method, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGTERM, as Kubernetes or systemd stop it. */
    void terminate() {
        process.destroy();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("adapter still running after " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
