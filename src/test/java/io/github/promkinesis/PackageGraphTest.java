package io.github.promkinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A child package may import its parent, never its sibling, and a parent never its child: the delivery both
 * sinks share knows neither service, and the HTTP steps do not reach below the routes.
 */
class PackageGraphTest {

    private static final Path SOURCES = Path.of("src/main/java/io/github/promkinesis");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.github\\.promkinesis\\.([a-z.]+)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void streamsAndFirehoseImportOnlyTheirParent() throws IOException {
        assertEquals(List.of(), arrows(List.of("kinesis.streams", "kinesis.firehose")));
    }

    @Test
    void parentsImportNoChild() throws IOException {
        assertEquals(List.of(), arrows(List.of("kinesis", "http")));
    }

    @Test
    void theCheckSeesAForbiddenArrow() {
        assertEquals(List.of("kinesis.firehose -> kinesis.streams"), forbidden("kinesis.firehose",
                "import io.github.promkinesis.kinesis.RecordBatch;\nimport io.github.promkinesis.kinesis.streams.StreamId;\n"));
    }

    /** The imports of these packages that point at a sibling or a child. */
    private static List<String> arrows(List<String> packages) throws IOException {
        List<String> found = new ArrayList<>();
        for (String pkg : packages) {
            try (Stream<Path> files = Files.list(SOURCES.resolve(pkg.replace('.', '/')))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    found.addAll(forbidden(pkg, Files.readString(file)));
                }
            }
        }
        return found;
    }

    private static List<String> forbidden(String pkg, String source) {
        String parent = pkg.contains(".") ? pkg.substring(0, pkg.lastIndexOf('.')) : "";
        List<String> found = new ArrayList<>();
        Matcher imports = IMPORT.matcher(source);
        while (imports.find()) {
            String target = imports.group(1);
            boolean child = target.startsWith(pkg + ".");
            boolean sibling = !parent.isEmpty() && target.startsWith(parent + ".") && !target.equals(pkg)
                    && !target.startsWith(pkg + ".");
            if (child || sibling) {
                found.add(pkg + " -> " + target);
            }
        }
        return found;
    }
}
