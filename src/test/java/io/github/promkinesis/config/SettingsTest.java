package io.github.promkinesis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Every setting is checked at start, from the same sources in the same order as Camel reads them. */
class SettingsTest {

    private final Properties system = new Properties();
    private final Map<String, String> environment = new HashMap<>(Map.of(
            "STREAM_NAME", "metrics", "AWS_REGION", "eu-west-1"));
    private final Properties workingDirectory = new Properties();

    @Test
    void theShippedDefaultsAreValid() throws IOException {
        Settings settings = read();

        assertEquals("metrics", settings.streamName);
        assertEquals(shipped().getProperty("http.port").trim(), String.valueOf(settings.httpPort));
        assertEquals(shipped().getProperty("delivery.deadline-ms").trim(), String.valueOf(settings.deliveryDeadlineMs));
        assertEquals("sample", settings.get("kinesis.record.mode"));
        assertEquals("file:" + Path.of("routes").toAbsolutePath(), settings.routesLocation);
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentWhichWinsOverTheFiles() {
        workingDirectory.setProperty("http.port", "1111");
        assertEquals(1111, read().httpPort);
        environment.put("HTTP_PORT", "2222");
        assertEquals(2222, read().httpPort);
        system.setProperty("http.port", "3333");
        assertEquals(3333, read().httpPort);
    }

    @Test
    void aBadValueIsRefusedNamingTheVariableTheValueAndWhatIsAllowed() {
        assertRefused("HTTP_PORT", "notanumber", "HTTP_PORT=notanumber is not allowed: use a whole number from 1 to 65535");
        assertRefused("HTTP_PORT", "70000", "HTTP_PORT=70000 is not allowed: use a whole number from 1 to 65535");
        assertRefused("MAX_BODY_BYTES", "abc", "MAX_BODY_BYTES=abc is not allowed: use a whole number");
        assertRefused("MAX_CONCURRENT_REQUESTS", "0", "MAX_CONCURRENT_REQUESTS=0 is not allowed");
        assertRefused("DELIVERY_DEADLINE_MS", "abc", "DELIVERY_DEADLINE_MS=abc is not allowed");
        assertRefused("MAX_DECOMPRESSED_BYTES", "abc", "MAX_DECOMPRESSED_BYTES=abc is not allowed");
        assertRefused("KINESIS_RECORD_MAX_BYTES", "abc", "KINESIS_RECORD_MAX_BYTES=abc is not allowed");
        assertRefused("MAX_SAMPLES_PER_REQUEST", "-1", "MAX_SAMPLES_PER_REQUEST=-1 is not allowed");
        assertRefused("KINESIS_RECORD_MODE", "pack", "KINESIS_RECORD_MODE=pack is not allowed: use one of sample, packed");
        assertRefused("KINESIS_PARTITION_KEY", "shard", "use one of random, series, metric");
        assertRefused("DELIVERY_FAILURE_STATUS", "500", "use one of 503, 429");
        assertRefused("OUTPUT_METADATA_LINES", "yes", "use one of true, false");
        assertRefused("KINESIS_ENDPOINT", "localhost:4567", "use an http:// or https:// URL");
        assertRefused("ROUTES_DIR", "/no/such/dir", "ROUTES_DIR=/no/such/dir is not allowed");
        assertRefused("STREAM_NAME", "my stream", "STREAM_NAME=my stream is not allowed: use a stream name");
        assertRefused("STREAM_NAME", "arn:aws:kinesis:eu-west-1:123:stream/x", "or a stream ARN");
        assertRefused("STREAM_NAME", "arn:aws:kinesis:eu-west-2:123456789012:stream/metrics",
                "STREAM_NAME is a stream in eu-west-2 but AWS_REGION is");
        assertRefused("AWS_ASSUME_ROLE_ARN", "metrics-writer", "use a role ARN, arn:aws:iam::ACCOUNT:role/NAME");
        assertRefused("AWS_ASSUME_ROLE_SESSION_NAME", "a b", "AWS_ASSUME_ROLE_SESSION_NAME=a b is not allowed");
        assertRefused("AWS_ASSUME_ROLE_EXTERNAL_ID", "x", "AWS_ASSUME_ROLE_EXTERNAL_ID=(hidden) is not allowed");
        assertRefused("STS_ENDPOINT", "localhost:4567", "use an http:// or https:// URL");
        assertRefused("TENANT_HEADER", "X Scope", "TENANT_HEADER=X Scope is not allowed: use an HTTP header name");
        assertRefused("TENANT_LABEL", "__tenant", "TENANT_LABEL=__tenant is not allowed: use a label name");
        assertRefused("TENANT_LABEL", "team-id", "TENANT_LABEL=team-id is not allowed");
        assertRefused("TENANT_REQUIRED", "yes", "use one of true, false");
        assertRefused("ROUTES_RELOAD", "yes", "use one of true, false");
        assertRefused("HTTP_MAX_CONNECTIONS", "0", "HTTP_MAX_CONNECTIONS=0 is not allowed: use a whole number from 1");
        assertRefused("HTTP_HEADER_TIMEOUT_SECONDS", "0", "HTTP_HEADER_TIMEOUT_SECONDS=0 is not allowed");
        assertRefused("HTTP_BODY_TIMEOUT_SECONDS", "1m", "HTTP_BODY_TIMEOUT_SECONDS=1m is not allowed");
        assertRefused("HTTP_IDLE_TIMEOUT_SECONDS", "-1", "HTTP_IDLE_TIMEOUT_SECONDS=-1 is not allowed");
        assertRefused("LOG_FORMAT", "xml", "LOG_FORMAT=xml is not allowed: use one of text, json");
        assertRefused("HTTP_HOST", "", "HTTP_HOST is required (the address to listen on, e.g. 0.0.0.0)");
    }

    /** serve-archive's disk cache: off by default, a directory it can write (or make) and a bound of bytes. */
    @Test
    void theArchiveReadersDiskCacheIsADirectoryItCanWriteAndABoundInBytes() throws IOException {
        ReadSettings shipped = ReadSettings.read(source());
        assertEquals(null, shipped.cacheDir);
        assertEquals(1L << 30, shipped.cacheBytes);

        Path made = Files.createTempDirectory("cache").resolve("not/yet");
        environment.put("READ_CACHE_DIR", made.toString());
        environment.put("READ_CACHE_BYTES", "2097152");
        ReadSettings cached = ReadSettings.read(source());
        assertEquals(made, cached.cacheDir);
        assertEquals(2_097_152, cached.cacheBytes);

        Path file = Files.createTempFile("cache", ".file");
        for (Map.Entry<String, String> bad : Map.of(
                "READ_CACHE_DIR=" + file.resolve("below"), "use a directory this process can write, or make",
                "READ_CACHE_BYTES=1GiB", "READ_CACHE_BYTES=1GiB is not allowed: use a whole number from 1048576",
                "READ_CACHE_BYTES=65536", "READ_CACHE_BYTES=65536 is not allowed").entrySet()) {
            String[] setting = bad.getKey().split("=", 2);
            String before = environment.put(setting[0], setting[1]);
            String message = assertThrows(InvalidSettingException.class, () -> ReadSettings.read(source()))
                    .getMessage();
            assertTrue(message.startsWith(bad.getKey() + " is not allowed: ") && message.contains(bad.getValue()),
                    message);
            assertEquals(1, message.lines().count(), message);
            environment.put(setting[0], before);
        }
    }

    @Test
    void settingsThatOnlyWorkTogetherAreRefusedAlone() {
        assertRefused("KINESIS_RECORD_GZIP", "true", "KINESIS_RECORD_GZIP=true needs KINESIS_RECORD_MODE=packed");
        environment.put("KINESIS_RECORD_MODE", "packed");
        environment.put("KINESIS_RECORD_GZIP", "true");
        assertEquals("true", read().get("kinesis.record.gzip"));
        assertRefused("TLS_CERT_FILE", "/cert.pem", "TLS_CERT_FILE and TLS_KEY_FILE are needed together");
        assertRefused("AUTH_BASIC_USERNAME", "prometheus", "AUTH_BASIC_USERNAME and AUTH_BASIC_PASSWORD");
        assertRefused("TENANT_REQUIRED", "true", "TENANT_REQUIRED=true needs TENANT_HEADER");
        assertRefused("AWS_ASSUME_ROLE_EXTERNAL_ID", "ext-1", "AWS_ASSUME_ROLE_EXTERNAL_ID needs AWS_ASSUME_ROLE_ARN");
        environment.put("TENANT_HEADER", "X-Scope-OrgID");
        environment.put("TENANT_REQUIRED", "true");
        assertEquals("true", read().get("tenant.required"));
    }

    @Test
    void aMissingRequiredSettingSaysHowToSetIt() {
        environment.remove("STREAM_NAME");
        String message = assertThrows(InvalidSettingException.class, this::read).getMessage();
        assertTrue(message.startsWith("STREAM_NAME is required"), message);
        assertTrue(message.contains("-Dstream.name=") && message.contains("application.properties"), message);
    }

    @Test
    void firehoseNeedsItsStreamNotAKinesisStreamAndPacksByDefault() {
        environment.remove("STREAM_NAME");
        environment.put("SINK", "firehose");
        String message = assertThrows(InvalidSettingException.class, this::read).getMessage();
        assertTrue(message.startsWith("FIREHOSE_STREAM_NAME is required"), message);
        environment.put("FIREHOSE_STREAM_NAME", "metrics-archive");
        Settings settings = read();
        assertEquals("firehose", settings.sink);
        assertEquals("metrics-archive", settings.firehoseStreamName);
        assertEquals("packed", settings.get("kinesis.record.mode"), "Firehose bills records in 5 KB steps");
        environment.put("KINESIS_RECORD_MODE", "sample");
        assertEquals("sample", read().get("kinesis.record.mode"), "one line per record still on request");
        assertRefused("FIREHOSE_STREAM_NAME", "metrics archive", "use a Firehose stream name");
        assertRefused("FIREHOSE_ENDPOINT", "localhost:4573", "use an http:// or https:// URL");
        assertRefused("KINESIS_RECORD_MAX_BYTES", "1048000", "use a whole number from 1 to 1024000");
        assertRefused("SINK", "s3", "SINK=s3 is not allowed: use one of kinesis, firehose");
        environment.put("SINK", "kinesis");
        environment.remove("KINESIS_RECORD_MODE");
        environment.put("STREAM_NAME", "metrics");
        assertEquals("sample", read().get("kinesis.record.mode"));
    }

    @Test
    void valuesAreTrimmedAndCaseFoldedWhereCaseMeansNothing() {
        environment.put("KINESIS_RECORD_MODE", " Packed ");
        environment.put("KINESIS_PARTITION_KEY", "SERIES");
        Settings settings = read();
        assertEquals("packed", settings.get("kinesis.record.mode"));
        assertEquals("series", settings.asProperties().getProperty("kinesis.partition-key"));
    }

    @Test
    void withoutARoutesDirectoryTheJarsRoutesRunUnlessOneWasNamed() {
        Properties defaults = new Properties();
        defaults.setProperty("routes.dir", "no-routes-here");
        SettingsSource elsewhere = new SettingsSource(system, environment, new Properties(), withDefaults(defaults));
        assertEquals("classpath:routes", Settings.read(elsewhere).routesLocation);

        workingDirectory.setProperty("routes.dir", "no-routes-here");
        assertThrows(InvalidSettingException.class, this::read, "named on purpose, so it must exist");
    }

    @Test
    void theToolsReadOnlyWhatTheyUse() {
        environment.remove("STREAM_NAME");
        environment.put("MAX_BODY_BYTES", "abc");
        SettingValues streamTool = SettingValues.read(source(), Setting.Reader.STREAM_TOOL);
        assertEquals("eu-west-1", streamTool.region());
        assertThrows(IllegalArgumentException.class, () -> streamTool.text(Setting.HTTP_PORT));
        assertEquals(9501, SettingValues.read(source(), Setting.Reader.HEALTH_PROBE).whole(Setting.HTTP_PORT));
        environment.put("HTTP_PORT", "0");
        assertThrows(InvalidSettingException.class, () -> SettingValues.read(source(), Setting.Reader.HEALTH_PROBE));
    }

    private void assertRefused(String variable, String value, String expected) {
        String before = environment.put(variable, value);
        String message = assertThrows(InvalidSettingException.class, this::read, variable).getMessage();
        assertTrue(message.contains(expected), message);
        assertEquals(1, message.lines().count(), message);
        if (before == null) {
            environment.remove(variable);
        } else {
            environment.put(variable, before);
        }
    }

    private Settings read() {
        return Settings.read(source());
    }

    private SettingsSource source() {
        return new SettingsSource(system, environment, workingDirectory, withDefaults(new Properties()));
    }

    /** The shipped application.properties, with some keys changed. */
    static Properties withDefaults(Properties changes) {
        try {
            Properties defaults = shipped();
            defaults.putAll(changes);
            return defaults;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties shipped() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        }
        return properties;
    }
}
