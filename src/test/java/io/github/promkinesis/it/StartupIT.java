package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** How the jar finds its settings: required ones are checked at once; the working directory's file wins. */
class StartupIT {

    @Test
    void withoutStreamNameTheProcessExitsNamingIt() throws Exception {
        try (Adapter adapter = new Adapter("StartupIT", Map.of("AWS_REGION", Kinesalite.REGION))) {
            assertEquals(2, adapter.awaitExit(Duration.ofSeconds(30)));
            assertTrue(adapter.log().contains("STREAM_NAME is required"), adapter.log());
        }
    }

    @Test
    void aBadSettingStopsTheStartWithOneLineAndExitCode2() throws Exception {
        for (Map.Entry<String, String> bad : Map.of("HTTP_PORT", "notanumber", "MAX_BODY_BYTES", "abc",
                "MAX_CONCURRENT_REQUESTS", "abc", "KINESIS_RECORD_MODE", "pack").entrySet()) {
            try (Adapter adapter = new Adapter("StartupIT-bad-" + bad.getKey(), Map.of("STREAM_NAME", "any",
                    "AWS_REGION", Kinesalite.REGION, bad.getKey(), bad.getValue()))) {
                assertEquals(2, adapter.awaitExit(Duration.ofSeconds(30)));
                List<String> lines = adapter.log().lines().toList();
                assertEquals(1, lines.size(), adapter.log());
                assertTrue(lines.get(0).contains(bad.getKey() + "=" + bad.getValue() + " is not allowed: use "),
                        lines.get(0));
            }
        }
    }

    @Test
    void fromAnotherDirectoryTheJarsRoutesRunAndTheLogSaysSo() throws Exception {
        Path elsewhere = Files.createTempDirectory("adapter-elsewhere");
        try (Kinesalite kinesis = Kinesalite.shared()) {
            var stream = kinesis.createStream("from-the-jar", 1);
            List<String> mark = stream.iteratorsAt(ShardIteratorType.LATEST);
            try (Adapter adapter = new Adapter("StartupIT-elsewhere", Map.of("STREAM_NAME", "from-the-jar",
                    "AWS_REGION", Kinesalite.REGION, "KINESIS_ENDPOINT", kinesis.endpoint()), elsewhere)) {
                adapter.awaitReady(Duration.ofSeconds(60));
                byte[] body = RemoteWriteBodies.fixture();

                assertEquals(204, adapter.remoteWrite("/receive", body).statusCode());
                assertEquals(SampleLines.sent(RemoteWriteBodies.parse(body)), SampleLines.received(stream.read(mark)));
                assertTrue(adapter.log().contains("Routes from classpath:routes"), adapter.log());
                assertTrue(adapter.log().contains("Kinesis stream from-the-jar takes records"), adapter.log());
            }
        }
    }

    @Test
    void streamToolSaysWhatIsWrongInOneLine() throws Exception {
        try (Kinesalite kinesis = Kinesalite.shared()) {
            Map<String, String> env = Map.of("AWS_REGION", Kinesalite.REGION, "KINESIS_ENDPOINT", kinesis.endpoint(),
                    "CBOR_ENABLED", "false", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");

            List<String> missing = streamTool(env, 1, "dump", "no-such-stream");
            assertEquals(List.of("StreamTool: stream no-such-stream not found (wrong STREAM_NAME, AWS_REGION or account?)"),
                    missing);
            List<String> usage = streamTool(env, 2, "follow", "s");
            assertEquals(1, usage.size(), usage.toString());
            assertTrue(usage.get(0).startsWith("StreamTool: usage:"), usage.toString());
        }
    }

    /** Runs StreamTool from the jar; its stderr lines, after checking its exit code. */
    private static List<String> streamTool(Map<String, String> env, int exitCode, String... args) throws Exception {
        List<String> command = Adapter.java("-cp", Adapter.JAR.toAbsolutePath().toString(),
                "io.github.promkinesis.tools.StreamTool");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(key -> key.startsWith("AWS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = new String(process.getErrorStream().readAllBytes()).lines().toList();
        assertEquals(exitCode, process.waitFor(), lines.toString());
        return lines;
    }

    @Test
    void theWorkingDirectorysPropertiesOverrideTheJarsDefaults() throws Exception {
        Path workingDirectory = Files.createTempDirectory("adapter-home");
        Files.writeString(workingDirectory.resolve("application.properties"), String.join("\n",
                "stream.name = from-properties-file",
                "routes.dir = " + Path.of("routes").toAbsolutePath(),
                ""));
        try (Kinesalite kinesis = Kinesalite.shared()) {
            var stream = kinesis.createStream("from-properties-file", 1);
            List<String> mark = stream.iteratorsAt(ShardIteratorType.LATEST);
            try (Adapter adapter = new Adapter("StartupIT-properties", Map.of("AWS_REGION", Kinesalite.REGION,
                    "KINESIS_ENDPOINT", kinesis.endpoint()), workingDirectory)) {
                adapter.awaitReady(Duration.ofSeconds(60));
                byte[] body = RemoteWriteBodies.fixture();

                assertEquals(204, adapter.remoteWrite("/receive", body).statusCode());
                assertEquals(SampleLines.sent(RemoteWriteBodies.parse(body)), SampleLines.received(stream.read(mark)));
            }
        }
    }

    @Test
    void readyOnlyOnceTheStreamExistsWhileAliveThroughout() throws Exception {
        try (Kinesalite kinesis = Kinesalite.shared();
             Adapter adapter = new Adapter("StartupIT-readiness", Map.of("STREAM_NAME", "not-yet",
                     "AWS_REGION", Kinesalite.REGION, "KINESIS_ENDPOINT", kinesis.endpoint()))) {
            HttpResponse<String> live = null;
            for (int i = 0; i < 300 && (live == null || live.statusCode() != 200); i++) {
                Thread.sleep(100);
                live = probe(adapter, "/observe/health/live");
            }
            assertEquals(200, live.statusCode(), "alive without the stream");
            HttpResponse<String> health = probe(adapter, "/observe/health");
            assertEquals(503, health.statusCode());
            assertTrue(health.body().contains("stream not-yet not found"), health.body());
            assertTrue(adapter.log().contains("ERROR") && adapter.log().contains(
                    "Kinesis stream not-yet cannot take records: stream not-yet not found"), "said at start: " + adapter.log());

            assertEquals(1, adapter.healthProbe(), "the container's HEALTHCHECK fails while not ready");

            kinesis.createStream("not-yet", 1);
            adapter.awaitReady(Duration.ofSeconds(30));
            assertEquals(0, adapter.healthProbe(), "the container's HEALTHCHECK passes once ready");
        }
    }

    @Test
    void logFormatJsonWritesOneJsonObjectPerLine() throws Exception {
        try (Deployment it = Deployment.direct("StartupIT-json-log", 1, Map.of("LOG_FORMAT", "json"))) {
            assertEquals(400, it.adapter.remoteWrite("/receive", "not snappy".getBytes()).statusCode());

            List<JsonNode> lines = new ArrayList<>();
            for (String line : it.adapter.log().split("\n")) {
                lines.add(new ObjectMapper().readTree(line));
            }
            assertTrue(lines.size() > 10, "start-up is logged");
            assertTrue(lines.stream().anyMatch(l -> "WARN".equals(l.path("level").asText())
                    && l.path("message").asText().contains("refused with 400")), it.adapter.log());
        }
    }

    private static HttpResponse<String> probe(Adapter adapter, String path) throws Exception {
        try {
            return adapter.send(path, "GET", new byte[0], Map.of());
        } catch (IOException notListeningYet) {
            return null;
        }
    }
}
