package io.github.promkinesis.config;

import static io.github.promkinesis.config.Setting.AUTH_BASIC_PASSWORD;
import static io.github.promkinesis.config.Setting.AUTH_BASIC_USERNAME;
import static io.github.promkinesis.config.Setting.AWS_ASSUME_ROLE_ARN;
import static io.github.promkinesis.config.Setting.AWS_ASSUME_ROLE_EXTERNAL_ID;
import static io.github.promkinesis.config.Setting.AWS_ASSUME_ROLE_SESSION_NAME;
import static io.github.promkinesis.config.Setting.DELIVERY_DEADLINE_MS;
import static io.github.promkinesis.config.Setting.DELIVERY_RETRY_AFTER_SECONDS;
import static io.github.promkinesis.config.Setting.FIREHOSE_ENDPOINT;
import static io.github.promkinesis.config.Setting.FIREHOSE_STREAM_NAME;
import static io.github.promkinesis.config.Setting.HTTP_BODY_TIMEOUT_SECONDS;
import static io.github.promkinesis.config.Setting.HTTP_HEADER_TIMEOUT_SECONDS;
import static io.github.promkinesis.config.Setting.HTTP_IDLE_TIMEOUT_SECONDS;
import static io.github.promkinesis.config.Setting.HTTP_MAX_CONNECTIONS;
import static io.github.promkinesis.config.Setting.HTTP_PORT;
import static io.github.promkinesis.config.Setting.KINESIS_ATTEMPT_TIMEOUT_MS;
import static io.github.promkinesis.config.Setting.KINESIS_ENDPOINT;
import static io.github.promkinesis.config.Setting.KINESIS_RECORD_GZIP;
import static io.github.promkinesis.config.Setting.KINESIS_RECORD_MAX_BYTES;
import static io.github.promkinesis.config.Setting.KINESIS_RECORD_MODE;
import static io.github.promkinesis.config.Setting.MAX_BODY_BYTES;
import static io.github.promkinesis.config.Setting.ROUTES_DIR;
import static io.github.promkinesis.config.Setting.ROUTES_RELOAD;
import static io.github.promkinesis.config.Setting.SINK;
import static io.github.promkinesis.config.Setting.STREAM_NAME;
import static io.github.promkinesis.config.Setting.STS_ENDPOINT;
import static io.github.promkinesis.config.Setting.TENANT_HEADER;
import static io.github.promkinesis.config.Setting.TENANT_REQUIRED;
import static io.github.promkinesis.config.Setting.TLS_CERT_FILE;
import static io.github.promkinesis.config.Setting.TLS_KEY_FILE;

import io.github.promkinesis.kinesis.AssumedRole;
import io.github.promkinesis.kinesis.firehose.FirehoseBatch;
import io.github.promkinesis.kinesis.streams.StreamId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The adapter's settings, read and checked once at start, before Camel starts: each as {@link Setting} declares
 * it, then the rules between them. A bad one stops the start with one line naming the environment variable, the
 * value and what is allowed. The YAML routes and Camel's own settings read the checked values through
 * {@link #asProperties()}.
 */
public final class Settings {

    /** Its name in Camel's registry. */
    public static final String BEAN = "settings";

    private final SettingValues values;

    /** Where the lines go: "kinesis" (streamName) or "firehose" (firehoseStreamName). */
    public final String sink;
    public final String streamName;
    public final String firehoseStreamName;
    public final String firehoseEndpoint;
    public final String awsRegion;
    public final String kinesisEndpoint;
    public final int attemptTimeoutMs;
    public final int deliveryDeadlineMs;
    public final int retryAfterSeconds;
    public final int httpPort;
    public final String tlsCertFile;
    public final String tlsKeyFile;
    public final long maxBodyBytes;
    /** Connection limits: no bytes either way; head after opening or the last answer; body after its head. */
    public final int idleTimeoutSeconds;
    public final int headerTimeoutSeconds;
    public final int bodyTimeoutSeconds;
    public final int maxConnections;
    /** The role Kinesis calls are made as, or {@link AssumedRole#NONE}. */
    public final AssumedRole assumedRole;
    /** Where the routes come from: a directory, or the jar's own when the working directory has none. */
    public final String routesLocation;
    /** Whether changes of the routes directory are taken while running. */
    public final boolean routesReload;

    private Settings(SettingsSource source) {
        values = SettingValues.read(source, Setting.Reader.ADAPTER);
        sink = values.text(SINK);
        boolean firehose = sink.equals("firehose");
        firehoseStreamName = firehose ? values.required(FIREHOSE_STREAM_NAME, " with SINK=firehose")
                : values.text(FIREHOSE_STREAM_NAME);
        streamName = firehose ? values.text(STREAM_NAME) : values.required(STREAM_NAME, " with SINK=kinesis");
        firehoseEndpoint = values.text(FIREHOSE_ENDPOINT);
        kinesisEndpoint = values.text(KINESIS_ENDPOINT);
        awsRegion = values.region();
        if (StreamId.isArn(streamName) && !StreamId.region(streamName).equals(awsRegion)) {
            throw new InvalidSettingException(STREAM_NAME + " is a stream in " + StreamId.region(streamName)
                    + " but AWS_REGION is " + awsRegion + ": set AWS_REGION=" + StreamId.region(streamName));
        }
        values.fill(KINESIS_RECORD_MODE, firehose ? "packed" : "sample"); // Firehose bills records in 5 KB steps
        // Firehose takes records up to 1,000 KiB, less than Kinesis' 1 MiB
        if (firehose && values.whole(KINESIS_RECORD_MAX_BYTES) > FirehoseBatch.LIMITS.maxEntryBytes()) {
            throw KINESIS_RECORD_MAX_BYTES.refused(values.text(KINESIS_RECORD_MAX_BYTES),
                    "a whole number from 1 to " + FirehoseBatch.LIMITS.maxEntryBytes());
        }
        if (values.isTrue(KINESIS_RECORD_GZIP) && !values.text(KINESIS_RECORD_MODE).equals("packed")) {
            throw new InvalidSettingException(KINESIS_RECORD_GZIP + "=true needs " + KINESIS_RECORD_MODE
                    + "=packed (single-line records are not compressed)");
        }
        attemptTimeoutMs = (int) values.whole(KINESIS_ATTEMPT_TIMEOUT_MS);
        deliveryDeadlineMs = (int) values.whole(DELIVERY_DEADLINE_MS);
        retryAfterSeconds = (int) values.whole(DELIVERY_RETRY_AFTER_SECONDS);
        httpPort = (int) values.whole(HTTP_PORT);
        values.together(TLS_CERT_FILE, TLS_KEY_FILE, "for HTTPS");
        tlsCertFile = values.text(TLS_CERT_FILE);
        tlsKeyFile = values.text(TLS_KEY_FILE);
        maxBodyBytes = values.whole(MAX_BODY_BYTES);
        idleTimeoutSeconds = (int) values.whole(HTTP_IDLE_TIMEOUT_SECONDS);
        headerTimeoutSeconds = (int) values.whole(HTTP_HEADER_TIMEOUT_SECONDS);
        bodyTimeoutSeconds = (int) values.whole(HTTP_BODY_TIMEOUT_SECONDS);
        maxConnections = (int) values.whole(HTTP_MAX_CONNECTIONS);
        values.together(AUTH_BASIC_USERNAME, AUTH_BASIC_PASSWORD, "for basic authentication");
        if (values.isTrue(TENANT_REQUIRED) && values.isEmpty(TENANT_HEADER)) {
            throw new InvalidSettingException(TENANT_REQUIRED + "=true needs " + TENANT_HEADER + " (the header to"
                    + " read the tenant from, e.g. X-Scope-OrgID)");
        }
        assumedRole = assumedRole();
        routesLocation = routes(values);
        routesReload = values.isTrue(ROUTES_RELOAD);
        if (routesReload && !routesLocation.startsWith("file:")) {
            throw new InvalidSettingException(ROUTES_RELOAD + "=true needs a routes directory (" + ROUTES_DIR
                    + "): the routes now come from the jar, which cannot change");
        }
    }

    /** Reads and checks every setting; the first problem is thrown as an {@link InvalidSettingException}. */
    public static Settings read(SettingsSource source) {
        return new Settings(source);
    }

    /** The checked values by key, for Camel's property placeholders (override properties: they win). */
    public Properties asProperties() {
        return values.asProperties();
    }

    /** The checked value of a key, as the routes see it. */
    public String get(String key) {
        String value = asProperties().getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " is no setting");
        }
        return value;
    }

    private AssumedRole assumedRole() {
        if (values.isEmpty(AWS_ASSUME_ROLE_ARN)) {
            if (!values.isEmpty(AWS_ASSUME_ROLE_EXTERNAL_ID)) {
                throw new InvalidSettingException(AWS_ASSUME_ROLE_EXTERNAL_ID + " needs " + AWS_ASSUME_ROLE_ARN);
            }
            return AssumedRole.NONE;
        }
        return new AssumedRole(values.text(AWS_ASSUME_ROLE_ARN), values.text(AWS_ASSUME_ROLE_EXTERNAL_ID),
                values.text(AWS_ASSUME_ROLE_SESSION_NAME), values.text(STS_ENDPOINT));
    }

    /**
     * The routes directory; the default one may be absent (java -jar from another directory), and then the
     * jar's routes run. A directory named on purpose must exist.
     */
    static String routes(SettingValues values) {
        String directory = values.text(ROUTES_DIR);
        Path path = Path.of(directory);
        if (Files.isDirectory(path)) {
            return "file:" + path.toAbsolutePath().normalize();
        }
        if (directory.equals(values.defaultValue(ROUTES_DIR))) {
            return "classpath:routes";
        }
        throw ROUTES_DIR.refused(directory, "a directory of YAML routes (" + path.toAbsolutePath() + " is none)");
    }
}
