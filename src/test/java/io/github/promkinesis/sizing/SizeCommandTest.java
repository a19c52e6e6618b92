package io.github.promkinesis.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizeCommandTest {

    @Test
    void printsEveryMeasuredSettingWithoutMode() {
        Run run = run("--series", "1000000", "--interval", "15s");
        assertEquals(0, run.exit);
        assertTrue(run.out.startsWith("1,000,000 series every 15 s: 66,667 samples/s\n"), run.out);
        assertTrue(run.out.matches("(?s).*sample, one line per record +66,667 +24\\.5 +67 \\(records\\) +175\\.2 billion"
                + " +\\$734 +\\$2,453 +\\$3,186\n.*"), run.out);
        assertTrue(run.out.matches("(?s).*packed-gzip, 200,000 bytes +133 +3\\.7 +10,025 +\\$291\n"), run.out);
        assertEquals(Sizing.MEASURED.size(), run.out.lines().filter(l -> l.matches("(sample|packed).*")).count());
    }

    @Test
    void readmeExampleIsTheCommandsOutput() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String prompt = "$ java -jar target/prometheus-remote-kinesis.jar size ";
        int start = readme.indexOf(prompt);
        String line = readme.substring(start + prompt.length(), readme.indexOf('\n', start));
        String shown = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start));
        assertEquals(shown, run(line.split(" ")).out);
    }

    @Test
    void aModePrintsOnlyItsSettings() {
        Run run = run("--series", "2000", "--interval", "1m", "--mode", "packed");
        assertEquals(0, run.exit);
        assertEquals(List.of("packed, 25,000 bytes", "packed, 25,000 bytes", "packed, 1,024,000 bytes"),
                run.out.lines().filter(l -> l.matches("(sample|packed).*")).map(l -> l.split(" {2,}")[0]).toList());
        assertTrue(run.out.contains(" 1 (bytes) "), run.out);
    }

    @Test
    void badOptionsExit2WithOneLine() {
        for (List<String> args : List.of(List.of("--series", "10", "--interval", "15s", "--shards", "2"),
                List.of("--series", "many", "--interval", "15s"), List.of("--interval", "15s"),
                List.of("--series", "10", "--interval", "soon"), List.of("--series", "10", "--interval", "15s",
                        "--mode", "zip"), List.of("--series"))) {
            Run run = run(args.toArray(String[]::new));
            assertEquals(2, run.exit, args.toString());
            assertEquals("", run.out);
            assertEquals(1, run.err.lines().count(), run.err);
            assertTrue(run.err.startsWith("size: "), run.err);
        }
        assertEquals("size: unknown option --shards (" + SizeCommand.USAGE + ")\n",
                run("--series", "10", "--interval", "15s", "--shards", "2").err);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SizeCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
