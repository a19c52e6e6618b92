package io.github.promkinesis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restore's settings come from the adapter's sources in the same order and are checked the same way. */
class RestoreSettingsTest {

    private final Properties system = new Properties();
    private final Map<String, String> environment = new HashMap<>();
    private final Properties workingDirectory = new Properties();

    @TempDir
    Path dir;

    @Test
    void theShippedDefaultsAskForNothing() {
        RestoreSettings settings = read();

        assertEquals("", settings.awsRegion, "a local archive needs no region");
        assertEquals("", settings.s3Endpoint);
        assertEquals("", settings.basicUsername);
        assertEquals("", settings.bearerToken);
        assertNull(settings.tlsCaFile);
        assertNull(settings.tlsCertFile);
    }

    @Test
    void systemPropertiesWinOverTheEnvironmentWhichWinsOverTheFiles() throws IOException {
        workingDirectory.setProperty("restore.tls.ca-file", pem("from-file.pem").toString());
        assertEquals(dir.resolve("from-file.pem"), read().tlsCaFile);
        environment.put("RESTORE_TLS_CA_FILE", pem("from-environment.pem").toString());
        assertEquals(dir.resolve("from-environment.pem"), read().tlsCaFile);
        system.setProperty("restore.tls.ca-file", pem("from-flag.pem").toString());
        assertEquals(dir.resolve("from-flag.pem"), read().tlsCaFile);
    }

    @Test
    void aSecretComesFromItsFileWithoutTheLastLineEnd() throws IOException {
        Files.writeString(dir.resolve("token"), "s3cret\n");
        environment.put("RESTORE_AUTH_BEARER_TOKEN_FILE", dir.resolve("token").toString());
        assertEquals("s3cret", read().bearerToken);

        environment.clear();
        environment.put("RESTORE_AUTH_BASIC_USERNAME", "restorer");
        workingDirectory.setProperty("restore.auth.basic.password", "pw");
        RestoreSettings basic = read();
        assertEquals("restorer", basic.basicUsername);
        assertEquals("pw", basic.basicPassword);
    }

    @Test
    void aBadValueIsOneLineNamingTheVariable() {
        assertRefused(Map.of("S3_ENDPOINT", "localhost:9000"),
                "S3_ENDPOINT=localhost:9000 is not allowed: use an http:// or https:// URL");
        assertRefused(Map.of("KINESIS_ENDPOINT", "localhost:4567"), "KINESIS_ENDPOINT=localhost:4567 is not allowed");
        assertRefused(Map.of("RESTORE_TLS_CA_FILE", "/no/ca.pem"),
                "RESTORE_TLS_CA_FILE=/no/ca.pem is not allowed: use a readable file");
        assertRefused(Map.of("RESTORE_AUTH_BEARER_TOKEN_FILE", "/no/token"),
                "RESTORE_AUTH_BEARER_TOKEN_FILE=/no/token is not allowed: use a readable file");
    }

    @Test
    void settingsThatExcludeOrNeedEachOtherAreRefused() throws IOException {
        String token = Files.writeString(dir.resolve("token"), "t").toString();
        assertRefused(Map.of("RESTORE_AUTH_BEARER_TOKEN", "t", "RESTORE_AUTH_BEARER_TOKEN_FILE", token),
                "RESTORE_AUTH_BEARER_TOKEN and RESTORE_AUTH_BEARER_TOKEN_FILE exclude each other: set one");
        assertRefused(Map.of("RESTORE_AUTH_BASIC_USERNAME", "u", "RESTORE_AUTH_BEARER_TOKEN", "t"),
                "RESTORE_AUTH_BASIC_USERNAME and RESTORE_AUTH_BEARER_TOKEN exclude each other: set one");
        assertRefused(Map.of("RESTORE_AUTH_BASIC_PASSWORD", "p"),
                "RESTORE_AUTH_BASIC_PASSWORD needs RESTORE_AUTH_BASIC_USERNAME");
        assertRefused(Map.of("RESTORE_TLS_CERT_FILE", pem("client.pem").toString()),
                "RESTORE_TLS_CERT_FILE and RESTORE_TLS_KEY_FILE are needed together for a client certificate");
    }

    @Test
    void theRegionIsTheOneSetAndAnyWillDoBehindAnEndpointOverride() {
        assertFalse(read().region("http://127.0.0.1:9000").isEmpty(), "s3rver, MinIO or kinesalite take any region");
        environment.put("AWS_REGION", "eu-west-1");
        assertEquals("eu-west-1", read().region(""));
    }

    private void assertRefused(Map<String, String> variables, String expected) {
        environment.putAll(variables);
        String message = assertThrows(InvalidSettingException.class, this::read, variables.toString()).getMessage();
        assertTrue(message.contains(expected), message);
        assertEquals(1, message.lines().count(), message);
        environment.keySet().removeAll(variables.keySet());
    }

    private Path pem(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "-----BEGIN CERTIFICATE-----\n");
    }

    private RestoreSettings read() {
        return RestoreSettings.read(new SettingsSource(system, environment, workingDirectory,
                SettingsTest.withDefaults(new Properties())));
    }
}
