package io.github.promkinesis.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where a setting's value comes from, first match wins: -Dkey=value, the environment variable (upper case, '.'
 * and '-' as '_'), the working directory's application.properties, the jar's application.properties (the
 * defaults). The adapter hands what it read to Camel as override properties, so the routes see the same values.
 */
public final class SettingsSource {

    static final String FILE = "application.properties";

    private final Properties system;
    private final Map<String, String> environment;
    private final Properties workingDirectory;
    private final Properties defaults;

    SettingsSource(Properties system, Map<String, String> environment, Properties workingDirectory,
                   Properties defaults) {
        this.system = system;
        this.environment = environment;
        this.workingDirectory = workingDirectory;
        this.defaults = defaults;
    }

    /** The process' own: its -D flags, its environment, ./application.properties and the jar's. */
    public static SettingsSource standard() {
        Properties local = new Properties();
        Path file = Path.of(FILE);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                local.load(in);
            } catch (IOException e) {
                throw new InvalidSettingException("cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        return new SettingsSource(System.getProperties(), System.getenv(), local, jarDefaults());
    }

    private static Properties jarDefaults() {
        Properties defaults = new Properties();
        try (InputStream in = SettingsSource.class.getClassLoader().getResourceAsStream(FILE)) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return defaults;
    }

    /** The given environment variables over the jar's defaults: a process' settings, for running it in-process. */
    public static SettingsSource environmentOnly(Map<String, String> environment) {
        return new SettingsSource(new Properties(), environment, new Properties(), jarDefaults());
    }

    /** The value, trimmed, or null when no source has the key. */
    String get(String key) {
        String value = system.getProperty(key);
        if (value == null) {
            value = environment.get(environmentName(key));
        }
        if (value == null) {
            value = workingDirectory.getProperty(key);
        }
        if (value == null) {
            value = defaults.getProperty(key);
        }
        return value == null ? null : value.trim();
    }

    /** An environment variable of a setting that has no key, trimmed, or null. */
    String environment(String variable) {
        String value = environment.get(variable);
        return value == null ? null : value.trim();
    }

    /** The jar's built-in value of a key, or null. */
    String defaultValue(String key) {
        return defaults.getProperty(key);
    }

    /** The environment variable that overrides a key, as Camel maps it (upper case, '.' and '-' as '_'). */
    public static String environmentName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }
}
