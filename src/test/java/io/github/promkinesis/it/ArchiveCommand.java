package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The jar's {@code restore} and {@code export} run as a user runs them: a process configured by its command line
 * and environment (the tests' own AWS settings left out), its output in a log file. One that does not end in
 * time is killed and fails the test instead of hanging it.
 */
final class ArchiveCommand {

    /** What a run did: its exit code, its output, its peak RSS (-1 when it ended before it was read) and CPU time. */
    record Run(int exit, String log, long peakRssMegabytes, long cpuMicros) {
    }

    private ArchiveCommand() {
    }

    static Run run(List<String> jvmOptions, List<String> arguments, Map<String, String> env, Path log,
                   Duration timeout) throws Exception {
        Process process = start(jvmOptions, arguments, env, log);
        LoadBenchmark.Usage usage = LoadBenchmark.watch(process, timeout);
        if (!usage.ended()) {
            process.destroyForcibly().waitFor();
        }
        String said = Files.readString(log);
        assertTrue(usage.ended(), arguments.get(0) + " ended within " + timeout + ": " + said);
        return new Run(process.exitValue(), said, usage.peakRssMegabytes(), usage.cpuMicros());
    }

    /** The command started, for a test that stops it itself. */
    static Process start(List<String> jvmOptions, List<String> arguments, Map<String, String> env, Path log)
            throws Exception {
        List<String> command = Adapter.java(jvmOptions.toArray(String[]::new));
        command.addAll(List.of("-jar", Adapter.JAR.toAbsolutePath().toString()));
        command.addAll(arguments);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("AWS_") || key.equals("S3_ENDPOINT"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** A restore that must end with exit 0, every line read and accepted, and no warning. */
    static void assertClean(Run run) {
        assertEquals(0, run.exit, run.log);
        assertTrue(run.log.contains("0 unreadable lines"), run.log);
        assertTrue(run.log.lines().noneMatch(l -> l.contains("WARN") || l.contains("ERROR")), run.log);
    }

    /**
     * {@code export} of the archive into OpenMetrics, then promtool's backfill of that into blocks, both
     * logged to target/it-logs/NAME-export.log and NAME-promtool.log; the blocks' directory.
     */
    static Path exportAndBackfill(String name, String from, String... exportOptions) throws Exception {
        Path openMetrics = Files.createTempFile(name, ".om");
        List<String> arguments = new ArrayList<>(List.of("export", "--from", from, "--out", openMetrics.toString()));
        arguments.addAll(List.of(exportOptions));
        Run export = run(List.of(), arguments, Map.of(), Path.of("target/it-logs/" + name + "-export.log"),
                Duration.ofSeconds(120));
        assertEquals(0, export.exit, export.log);
        Path blocks = Files.createTempDirectory("blocks");
        Path promtoolLog = Path.of("target/it-logs/" + name + "-promtool.log");
        Process backfill = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
                openMetrics.toString(), blocks.toString()).redirectErrorStream(true)
                .redirectOutput(promtoolLog.toFile()).start();
        boolean ended = backfill.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            backfill.destroyForcibly().waitFor();
        }
        assertTrue(ended, "promtool ended within 120 s");
        assertEquals(0, backfill.exitValue(), Files.readString(promtoolLog));
        Files.delete(openMetrics);
        return blocks;
    }

    /** Both sets the same, else a failure naming how many were lost and how many are extra, with a few of each. */
    static <T> void assertSameSamples(Set<T> expected, Set<T> actual, String where) {
        Set<T> lost = new HashSet<>(expected);
        lost.removeAll(actual);
        Set<T> extra = new HashSet<>(actual);
        extra.removeAll(expected);
        System.out.printf("%s: %d samples expected, %d there, %d lost, %d extra%n", where, expected.size(),
                actual.size(), lost.size(), extra.size());
        assertTrue(lost.isEmpty() && extra.isEmpty(), where + ": " + lost.size() + " of " + expected.size()
                + " samples lost, " + extra.size() + " extra; lost e.g. " + first(lost) + "; extra e.g. "
                + first(extra));
    }

    private static <T> List<T> first(Set<T> samples) {
        return samples.stream().limit(5).toList();
    }
}
