package io.github.promkinesis.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the commands (restore, export, compact) read from their options alike: "--name value" pairs, --tmp-dir. */
public final class CommandOptions {

    private CommandOptions() {
    }

    /** The options in order, each its name and value; an option without a value is refused. */
    public static List<Map.Entry<String, String>> pairs(List<String> args) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(args.get(i) + " needs a value");
            }
            pairs.add(Map.entry(args.get(i), args.get(i + 1)));
        }
        return pairs;
    }

    /** Where the sorted runs go: a directory the command can write. */
    public static Path tmpDir(String value) {
        Path directory = Path.of(value);
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            throw new IllegalArgumentException("--tmp-dir " + value + ": no writable directory there");
        }
        return directory;
    }
}
