package io.github.promkinesis.config;

import static io.github.promkinesis.config.Setting.AUTH_BASIC_PASSWORD;
import static io.github.promkinesis.config.Setting.AUTH_BASIC_USERNAME;
import static io.github.promkinesis.config.Setting.HTTP_PORT;
import static io.github.promkinesis.config.Setting.MAX_BODY_BYTES;
import static io.github.promkinesis.config.Setting.READ_CACHED_DAYS;
import static io.github.promkinesis.config.Setting.READ_CACHE_BYTES;
import static io.github.promkinesis.config.Setting.READ_CACHE_DIR;
import static io.github.promkinesis.config.Setting.READ_MAX_BYTES;
import static io.github.promkinesis.config.Setting.READ_MAX_CONCURRENT;
import static io.github.promkinesis.config.Setting.READ_MAX_SAMPLES;
import static io.github.promkinesis.config.Setting.READ_MAX_SERIES;
import static io.github.promkinesis.config.Setting.READ_TIMEOUT;
import static io.github.promkinesis.config.Setting.S3_ENDPOINT;
import static io.github.promkinesis.config.Setting.TENANT_HEADER;
import static io.github.promkinesis.config.Setting.TENANT_REQUIRED;
import static io.github.promkinesis.config.Setting.TLS_CERT_FILE;
import static io.github.promkinesis.config.Setting.TLS_KEY_FILE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The settings of {@code serve-archive}, the remote-read server: the adapter's HTTP, TLS, authentication and
 * tenant settings, read and checked the same way, where the archive is (S3 endpoint, region) and the limits of a
 * query. A bad one is an {@link InvalidSettingException} naming its environment variable.
 */
public final class ReadSettings {

    /** Its name in Camel's registry. */
    public static final String BEAN = "readSettings";
    private static final String ANY_REGION = "us-east-1";

    private final SettingValues values;
    public final String awsRegion;
    public final String s3Endpoint;
    public final int httpPort;
    public final String tlsCertFile;
    public final String tlsKeyFile;
    public final long maxBodyBytes;
    public final String routesLocation;
    public final long maxSeries;
    public final long maxSamples;
    public final long maxBytes;
    public final int maxConcurrent;
    public final Duration timeout;
    public final int cachedDays;
    /** The disk cache of what is read from S3; null: none. */
    public final Path cacheDir;
    public final long cacheBytes;

    private ReadSettings(SettingValues values) {
        this.values = values;
        awsRegion = values.text(Setting.AWS_REGION);
        s3Endpoint = values.text(S3_ENDPOINT);
        httpPort = (int) values.whole(HTTP_PORT);
        values.together(TLS_CERT_FILE, TLS_KEY_FILE, "for HTTPS");
        tlsCertFile = values.text(TLS_CERT_FILE);
        tlsKeyFile = values.text(TLS_KEY_FILE);
        maxBodyBytes = values.whole(MAX_BODY_BYTES);
        values.together(AUTH_BASIC_USERNAME, AUTH_BASIC_PASSWORD, "for basic authentication");
        if (values.isTrue(TENANT_REQUIRED) && values.isEmpty(TENANT_HEADER)) {
            throw new InvalidSettingException(TENANT_REQUIRED + "=true needs " + TENANT_HEADER + " (the header to"
                    + " read the tenant from, e.g. X-Scope-OrgID)");
        }
        routesLocation = Settings.routes(values);
        maxSeries = values.whole(READ_MAX_SERIES);
        maxSamples = values.whole(READ_MAX_SAMPLES);
        maxBytes = values.whole(READ_MAX_BYTES);
        maxConcurrent = (int) values.whole(READ_MAX_CONCURRENT);
        timeout = values.duration(READ_TIMEOUT);
        cachedDays = (int) values.whole(READ_CACHED_DAYS);
        cacheDir = values.file(READ_CACHE_DIR);
        cacheBytes = values.whole(READ_CACHE_BYTES);
    }

    /** Reads and checks the server's settings; the first problem is thrown as an {@link InvalidSettingException}. */
    public static ReadSettings read(SettingsSource source) {
        return new ReadSettings(SettingValues.read(source, Setting.Reader.ARCHIVE_READER));
    }

    /** The checked values by key, for Camel's property placeholders. */
    public Properties asProperties() {
        return values.asProperties();
    }

    /** The region S3 is reached in: with an endpoint override any will do. */
    public String s3Region() {
        return SettingValues.region(awsRegion, s3Endpoint.isEmpty() ? null : ANY_REGION);
    }
}
