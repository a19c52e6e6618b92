package io.github.promkinesis.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The released jar, started the way a user starts it: java -jar from the project root, configured by environment. */
final class Adapter implements Endpoint, AutoCloseable {

    static final Path JAR = Path.of("target/prometheus-remote-kinesis.jar");

    private final int port = Ports.free();
    private final Path log;
    private final Process process;
    private final String scheme;
    private final HttpClient http;
    private final Map<String, String> env;

    Adapter(String name, Map<String, String> settings) throws IOException {
        this(name, settings, Path.of(""));
    }

    /** Started in {@code workingDirectory}, where it looks for application.properties and the routes. */
    Adapter(String name, Map<String, String> settings, Path workingDirectory) throws IOException {
        log = Files.createDirectories(Path.of("target/it-logs")).resolve(name + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(java("-jar", JAR.toAbsolutePath().toString()))
                .directory(workingDirectory.toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("AWS_") || key.equals("STREAM_NAME")
                || key.equals("KINESIS_ENDPOINT"));
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        // kinesalite's CBOR is broken with SDK v2: JSON on the wire
        env.put("CBOR_ENABLED", "false");
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("HTTP_PORT", String.valueOf(port));
        env.putAll(settings);
        this.env = Map.copyOf(env);
        String certificate = settings.get("TLS_CERT_FILE");
        scheme = certificate == null ? "http" : "https";
        http = client(certificate);
        process = builder.start();
    }

    /** The port opens before the routes answer: readiness is the health endpoint saying UP. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("adapter exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/observe/health")).build(),
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

    /** The JVM's process id, for reading its CPU time and memory from /proc. */
    long pid() {
        return process.pid();
    }

    @Override
    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    @Override
    public HttpClient http() {
        return http;
    }

    @Override
    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Runs the container's HEALTHCHECK command against this adapter; its exit code. */
    int healthProbe() throws IOException, InterruptedException {
        ProcessBuilder probe = new ProcessBuilder(java("-cp", JAR.toAbsolutePath().toString(),
                "io.github.promkinesis.tools.HealthProbe")).redirectErrorStream(true);
        probe.environment().putAll(env);
        Process running = probe.start();
        running.getInputStream().transferTo(System.out);
        return running.waitFor();
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

    /** HTTP/1.1 as Prometheus speaks it; over TLS, trusting only the adapter's own certificate. */
    static HttpClient client(String certificateFile) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (certificateFile != null) {
            try (InputStream pem = Files.newInputStream(Path.of(certificateFile))) {
                KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                trusted.setCertificateEntry("adapter", CertificateFactory.getInstance("X.509").generateCertificate(pem));
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, trust.getTrustManagers(), null);
                builder.sslContext(tls);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot trust " + certificateFile, e);
            }
        }
        return builder.build();
    }

    /**
     * A java command line on the JVM running the tests, as the image's ENTRYPOINT starts one: from Java 24 on,
     * with Netty's and protobuf's use of sun.misc.Unsafe allowed (else the JDK warns at start, in the logs).
     */
    static List<String> java(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of(args));
        return command;
    }
}
