package io.github.promkinesis.config;

import static io.github.promkinesis.config.Setting.AWS_REGION;
import static io.github.promkinesis.config.Setting.COMPACT_GRACE;
import static io.github.promkinesis.config.Setting.KINESIS_ENDPOINT;
import static io.github.promkinesis.config.Setting.RESTORE_AUTH_BASIC_PASSWORD;
import static io.github.promkinesis.config.Setting.RESTORE_AUTH_BASIC_PASSWORD_FILE;
import static io.github.promkinesis.config.Setting.RESTORE_AUTH_BASIC_USERNAME;
import static io.github.promkinesis.config.Setting.RESTORE_AUTH_BEARER_TOKEN;
import static io.github.promkinesis.config.Setting.RESTORE_AUTH_BEARER_TOKEN_FILE;
import static io.github.promkinesis.config.Setting.RESTORE_TLS_CA_FILE;
import static io.github.promkinesis.config.Setting.RESTORE_TLS_CERT_FILE;
import static io.github.promkinesis.config.Setting.RESTORE_TLS_KEY_FILE;
import static io.github.promkinesis.config.Setting.S3_ENDPOINT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of the restore and export commands, read as {@link Setting} declares them and checked once,
 * before anything is read: where the archive is (the Kinesis and S3 endpoints, the region) and how the restore
 * reaches its receiver, never from the command line, which other users of the machine can read (basic or bearer
 * credentials, each secret as a value or as a file such as a mounted Kubernetes Secret; TLS files). A bad one is
 * an {@link InvalidSettingException} naming its environment variable.
 */
public final class RestoreSettings {

    /** An endpoint override (s3rver, MinIO, kinesalite) takes any region. */
    private static final String ANY_REGION = "us-east-1";

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

    private RestoreSettings(SettingValues values) {
        awsRegion = values.text(AWS_REGION);
        kinesisEndpoint = values.text(KINESIS_ENDPOINT);
        s3Endpoint = values.text(S3_ENDPOINT);
        basicUsername = values.text(RESTORE_AUTH_BASIC_USERNAME);
        basicPassword = secret(values, RESTORE_AUTH_BASIC_PASSWORD, RESTORE_AUTH_BASIC_PASSWORD_FILE);
        bearerToken = secret(values, RESTORE_AUTH_BEARER_TOKEN, RESTORE_AUTH_BEARER_TOKEN_FILE);
        if (!basicUsername.isEmpty() && !bearerToken.isEmpty()) {
            throw new InvalidSettingException(RESTORE_AUTH_BASIC_USERNAME + " and " + RESTORE_AUTH_BEARER_TOKEN
                    + " exclude each other: set one");
        }
        if (basicUsername.isEmpty() && !basicPassword.isEmpty()) {
            throw new InvalidSettingException(RESTORE_AUTH_BASIC_PASSWORD + " needs " + RESTORE_AUTH_BASIC_USERNAME);
        }
        values.together(RESTORE_TLS_CERT_FILE, RESTORE_TLS_KEY_FILE, "for a client certificate");
        tlsCaFile = values.file(RESTORE_TLS_CA_FILE);
        tlsCertFile = values.file(RESTORE_TLS_CERT_FILE);
        tlsKeyFile = values.file(RESTORE_TLS_KEY_FILE);
        compactGrace = values.duration(COMPACT_GRACE);
    }

    /** Reads and checks the restore's settings; the first problem is thrown as an {@link InvalidSettingException}. */
    public static RestoreSettings read(SettingsSource source) {
        return new RestoreSettings(SettingValues.read(source, Setting.Reader.RESTORE));
    }

    /** The region S3 or Kinesis is reached in, with this endpoint override (empty: AWS's). */
    public String region(String endpoint) {
        return SettingValues.region(awsRegion, endpoint.isEmpty() ? null : ANY_REGION);
    }

    /** The secret's value, or the content of its file without the last line end (as Secrets end). */
    private static String secret(SettingValues values, Setting secret, Setting file) {
        values.exclusive(secret, file);
        Path path = values.file(file);
        if (path == null) {
            return values.text(secret);
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
        } catch (IOException e) {
            throw file.refused(path.toString(), "a readable UTF-8 file (" + e + ")");
        }
    }
}
