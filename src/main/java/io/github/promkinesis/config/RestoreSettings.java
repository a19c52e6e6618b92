package io.github.promkinesis.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of the restore and export commands, read from the adapter's sources ({@link SettingsSource}) and
 * checked once, before anything is read: where the archive is (the Kinesis and S3 endpoints, the region) and how
 * the restore reaches its receiver, never from the command line, which other users of the machine can read
 * (basic or bearer credentials, each secret as a value or as a file such as a mounted Kubernetes Secret; TLS
 * files). A bad one is an {@link InvalidSettingException} naming its environment variable.
 */
public final class RestoreSettings {

    /** An endpoint override (s3rver, MinIO, kinesalite) takes any region. */
    private static final String ANY_REGION = "us-east-1";

    private final SettingsSource source;

    /** The region set; empty: the SDK's, looked up only when S3 or Kinesis is read ({@link #region}). */
    public final String awsRegion;
    public final String kinesisEndpoint;
    public final String s3Endpoint;
    /** Basic credentials (empty username: none) or a bearer token (empty: none); secrets read from their files. */
    public final String basicUsername;
    public final String basicPassword;
    public final String bearerToken;
    /** PEM files: CA certificates to trust instead of the JVM's, a client certificate and its key; null: none. */
    public final Path tlsCaFile;
    public final Path tlsCertFile;
    public final Path tlsKeyFile;
    /** compact: how long after its day a day's late data is read from the hours after it. */
    public final Duration compactGrace;

    private RestoreSettings(SettingsSource source) {
        this.source = source;
        awsRegion = text("aws.region");
        kinesisEndpoint = Settings.endpoint("kinesis.endpoint", text("kinesis.endpoint"));
        s3Endpoint = Settings.endpoint("s3.endpoint", text("s3.endpoint"));
        basicUsername = text("restore.auth.basic.username");
        basicPassword = secret("restore.auth.basic.password");
        bearerToken = secret("restore.auth.bearer.token");
        if (!basicUsername.isEmpty() && !bearerToken.isEmpty()) {
            throw exclusive("restore.auth.basic.username", "restore.auth.bearer.token");
        }
        if (basicUsername.isEmpty() && !basicPassword.isEmpty()) {
            throw new InvalidSettingException("RESTORE_AUTH_BASIC_PASSWORD needs RESTORE_AUTH_BASIC_USERNAME");
        }
        tlsCaFile = file("restore.tls.ca-file");
        Settings.together("restore.tls.cert-file", text("restore.tls.cert-file"), "restore.tls.key-file",
                text("restore.tls.key-file"), "for a client certificate");
        tlsCertFile = file("restore.tls.cert-file");
        tlsKeyFile = file("restore.tls.key-file");
        String grace = text("compact.grace");
        compactGrace = duration(grace.isEmpty() ? "3h" : grace);
        if (compactGrace == null) {
            throw Settings.refused("compact.grace", grace, "a duration such as 3h, 90m or 0");
        }
    }

    /** A whole number of hours (3h), minutes (90m) or seconds (30s), or 0; null when the text is none of those. */
    public static Duration duration(String text) {
        Matcher parts = Pattern.compile("(\\d{1,6})([hms]?)").matcher(text);
        if (!parts.matches() || (parts.group(2).isEmpty() && !parts.group(1).equals("0"))) {
            return null;
        }
        long amount = Long.parseLong(parts.group(1));
        return switch (parts.group(2)) {
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ZERO;
        };
    }

    /** Reads and checks the restore's settings; the first problem is thrown as an {@link InvalidSettingException}. */
    public static RestoreSettings read(SettingsSource source) {
        return new RestoreSettings(source);
    }

    /** The region S3 or Kinesis is reached in, with this endpoint override (empty: AWS's). */
    public String region(String endpoint) {
        return Settings.region(awsRegion, endpoint.isEmpty() ? null : ANY_REGION);
    }

    private String text(String key) {
        String value = source.get(key);
        return value == null ? "" : value;
    }

    /** The key's value, or the content of the file key-file names without its last line end (as Secrets end). */
    private String secret(String key) {
        String value = text(key);
        Path file = file(key + "-file");
        if (file == null) {
            return value;
        }
        if (!value.isEmpty()) {
            throw exclusive(key, key + "-file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
        } catch (IOException e) {
            throw Settings.refused(key + "-file", file.toString(), "a readable UTF-8 file (" + e + ")");
        }
    }

    private Path file(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            return null;
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw Settings.refused(key, value, "a readable file (" + file.toAbsolutePath() + " is none)");
        }
        return file;
    }

    private static InvalidSettingException exclusive(String key, String other) {
        return new InvalidSettingException(SettingsSource.environmentName(key) + " and "
                + SettingsSource.environmentName(other) + " exclude each other: set one");
    }
}
