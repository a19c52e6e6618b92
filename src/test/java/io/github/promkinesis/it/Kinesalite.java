package io.github.promkinesis.it;

import io.github.promkinesis.kinesis.AwsClients;
import io.github.promkinesis.tools.StreamReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A real kinesalite on 127.0.0.1 and a free port, keeping its data in a directory so it can be restarted. Tests
 * share one per test JVM ({@link #shared()}), each with streams of its own; a test that stops it has its own.
 */
final class Kinesalite implements AutoCloseable {

    static final String REGION = "us-east-1";

    private static Kinesalite shared;

    private final int port = Ports.free();
    private final Path dataDir;
    private Process process;
    private KinesisClient client;

    Kinesalite() throws IOException {
        dataDir = Files.createTempDirectory("kinesalite");
        start();
    }

    /** The test JVM's kinesalite, started at first use and stopped when the JVM exits; closing it does nothing. */
    static synchronized Kinesalite shared() throws IOException {
        if (shared == null) {
            Kinesalite started = new Kinesalite();
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "kinesalite-stop"));
            shared = started;
        }
        return shared;
    }

    void start() throws IOException {
        process = new ProcessBuilder("node", "src/test/node/kinesalite.js", String.valueOf(port), dataDir.toString())
                .redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        if (line == null || !line.contains("listening")) {
            throw new IllegalStateException("kinesalite did not start (run npm ci in src/test/node): " + line);
        }
        Thread drain = new Thread(() -> output.lines().forEach(l -> { }), "kinesalite-output");
        drain.setDaemon(true);
        drain.start();
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    synchronized KinesisClient client() {
        if (client == null) {
            client = new AwsClients(REGION, Duration.ofSeconds(30)).kinesis(endpoint());
        }
        return client;
    }

    StreamReader createStream(String name, int shards) throws InterruptedException {
        StreamReader reader = new StreamReader(client(), name);
        reader.createIfMissing(shards, Duration.ofSeconds(30));
        return reader;
    }

    @Override
    public void close() throws Exception {
        if (this != shared) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (client != null) {
            client.close();
        }
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
