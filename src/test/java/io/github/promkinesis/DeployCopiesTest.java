package io.github.promkinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files' copies of the routes and alert rules are written by bin/sync-deploy from the originals:
 * its --check must find them current, and must be seen to refuse a copy edited by hand.
 */
class DeployCopiesTest {

    private static final Path CONFIG_MAP = Path.of("deploy/kubernetes/configmap.yaml");
    private static final Path CHART_ROUTES = Path.of("deploy/helm/prometheus-remote-kinesis/files/routes");

    @Test
    void everyCopyIsWhatBinSyncDeployWrites() throws Exception {
        Result checked = syncDeploy("--check", ".");
        assertEquals(0, checked.exit, checked.out);
    }

    @Test
    void theCheckRefusesACopyEditedByHandWritingNothingAndTheScriptRepairsIt(@TempDir Path root) throws Exception {
        copyTree(Path.of("routes"), root.resolve("routes"));
        copyTree(Path.of("deploy"), root.resolve("deploy"));
        // current copies to start from, whatever the project's are
        assertEquals(0, syncDeploy(root.toString()).exit);
        Path configMap = root.resolve(CONFIG_MAP);
        String current = Files.readString(configMap);
        // the ConfigMap's last line is part of its last embedded route
        List<String> lines = Files.readAllLines(configMap);
        lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " # edited by hand");
        Files.write(configMap, lines);
        String edited = Files.readString(configMap);
        // and the chart's copy of a route since renamed in routes/
        Path renamed = Files.writeString(root.resolve(CHART_ROUTES).resolve("renamed.yaml"), "- route: {}\n");

        Result refused = syncDeploy("--check", root.toString());
        assertEquals(1, refused.exit, refused.out);
        assertEquals("bin/sync-deploy: " + CHART_ROUTES.resolve("renamed.yaml") + " is stale: run bin/sync-deploy\n"
                + "bin/sync-deploy: " + CONFIG_MAP + " is stale: run bin/sync-deploy\n", refused.out);
        assertEquals(edited, Files.readString(configMap), "--check wrote the copy");
        assertTrue(Files.exists(renamed), "--check removed the copy");

        assertEquals(0, syncDeploy(root.toString()).exit);
        assertEquals(current, Files.readString(configMap));
        assertFalse(Files.exists(renamed));
        assertEquals(0, syncDeploy("--check", root.toString()).exit);
    }

    private static Result syncDeploy(String... arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Stream.concat(Stream.of("bin/sync-deploy"), Stream.of(arguments)).toList())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private record Result(int exit, String out) {
    }
}
