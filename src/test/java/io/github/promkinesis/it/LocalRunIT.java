package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README's "run it" command, as a user runs it: JSON lines must arrive in the local stream. */
class LocalRunIT {

    @Test
    void runShShowsTheJsonLinesOfTheLocalStream() throws Exception {
        Path out = Files.createTempFile("run-sh", ".out");
        Path err = Files.createTempFile("run-sh", ".err");
        ProcessBuilder run = new ProcessBuilder("deploy/local/run.sh").redirectOutput(out.toFile())
                .redirectError(err.toFile());
        run.environment().put("RUN_SECONDS", "20");
        run.environment().keySet().removeIf(key -> key.startsWith("AWS_") || key.endsWith("_PORT"));
        Process process = run.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }

        String said = Files.readString(err);
        assertEquals(0, process.exitValue(), said);
        assertTrue(said.contains("remote_write url http://127.0.0.1:") && said.contains("logs kept in"), said);
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.size() > 10, "lines arrived: " + lines.size() + "\n" + said);
        for (String line : lines) {
            JsonNode sample = new ObjectMapper().readTree(line);
            assertEquals(sample.path("labels").path("__name__").asText(), sample.path("name").asText(), line);
        }
    }
}
