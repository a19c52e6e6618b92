package io.github.promkinesis.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** A real s3rver (npm) on 127.0.0.1 and a free port, as the S3 an archive is restored from. */
final class S3rver implements AutoCloseable {

    /** s3rver's own key pair: it checks signatures made with it. */
    static final String KEY = "S3RVER";

    private final int port = Ports.free();
    private final Process process;
    final S3Client client;

    S3rver() throws IOException {
        process = new ProcessBuilder("node", "src/test/node/s3rver.js", String.valueOf(port),
                Files.createTempDirectory("s3rver").toString()).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        if (line == null || !line.contains("listening")) {
            throw new IllegalStateException("s3rver did not start (run npm ci in src/test/node): " + line);
        }
        client = S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, KEY)))
                // s3rver cannot read aws-chunked uploads
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(false).build())
                .build();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    void put(String bucket, String key, byte[] bytes) {
        client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    /** Every file below the directory, at the prefix followed by its path there. */
    void putDirectory(String bucket, String prefix, Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                put(bucket, prefix + directory.relativize(file), Files.readAllBytes(file));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
