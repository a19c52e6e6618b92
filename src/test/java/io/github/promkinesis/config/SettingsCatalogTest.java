package io.github.promkinesis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A setting is declared in three places that must agree: {@link Setting}, application.properties (its default)
 * and README's configuration table (its meaning). A missing one of the three fails here.
 */
class SettingsCatalogTest {

    /** A table row whose first cell is one or more environment variables: `SINK` or `TLS_CERT_FILE`, `TLS_KEY_FILE`. */
    private static final Pattern ROW = Pattern.compile("\\|\\s*(`[A-Z][A-Z0-9_]*`(\\s*,\\s*`[A-Z][A-Z0-9_]*`)*)\\s*\\|.*");
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");

    @Test
    void eachSettingIsNamedByItsEnvironmentVariable() {
        for (Setting setting : Setting.values()) {
            if (setting.key() != null) {
                assertEquals(SettingsSource.environmentName(setting.key()), setting.name(), setting.key());
            }
        }
    }

    @Test
    void applicationPropertiesHasALineForEverySettingAndNoOther() throws IOException {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(SettingsSource.FILE))) {
            shipped.load(in);
        }
        // camel.* lines wire Camel to the settings above them; they are not settings of their own
        Set<String> lines = shipped.stringPropertyNames().stream().filter(key -> !key.startsWith("camel."))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = Arrays.stream(Setting.values()).map(Setting::key).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, lines, "application.properties and Setting");
    }

    @Test
    void readmesConfigurationTableHasARowForEverySettingAndNoOther() throws IOException {
        assertEquals(List.of(), problems(Files.readString(Path.of("README.md"))));
    }

    @Test
    void theTableCheckRefusesAMissingAndAnUnknownRow() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String withoutSink = readme.lines().filter(line -> !line.startsWith("| `SINK` |"))
                .collect(Collectors.joining("\n"));
        assertEquals(List.of("no row for SINK"), problems(withoutSink));

        String withUnknown = readme.replace("| `SINK` |", "| `SINK_MODE` | `sink.mode` | | |\n| `SINK` |");
        assertEquals(List.of("SINK_MODE is no setting"), problems(withUnknown));

        // a table elsewhere naming other variables (the SDK's, say) is not the configuration table
        assertEquals(List.of(), problems(readme + "\n\n| variable |\n|---|\n| `AWS_PROFILE` |\n"));
    }

    /**
     * What is wrong with the configuration table of a README: the tables with a row naming a setting (found by
     * their first cell, whatever their header says, so a reworded or split table is still found) must name
     * every setting and nothing else.
     */
    static List<String> problems(String readme) {
        Set<String> settings = Arrays.stream(Setting.values()).map(Setting::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> named = new TreeSet<>();
        List<String> table = new ArrayList<>();
        for (String line : Stream.concat(readme.lines(), Stream.of("")).toList()) { // "": the last table ends
            if (line.startsWith("|")) {
                table.add(line);
                continue;
            }
            Set<String> rows = variables(table);
            if (rows.stream().anyMatch(settings::contains)) {
                named.addAll(rows);
            }
            table.clear();
        }
        List<String> problems = new ArrayList<>();
        settings.stream().filter(setting -> !named.contains(setting)).forEach(s -> problems.add("no row for " + s));
        named.stream().filter(name -> !settings.contains(name)).forEach(name -> problems.add(name + " is no setting"));
        return problems;
    }

    private static Set<String> variables(List<String> table) {
        Set<String> variables = new TreeSet<>();
        for (String line : table) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                VARIABLE.matcher(row.group(1)).results().forEach(variable -> variables.add(variable.group(1)));
            }
        }
        return variables;
    }
}
