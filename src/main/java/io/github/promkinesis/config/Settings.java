package io.github.promkinesis.config;

import io.github.promkinesis.kinesis.AssumedRole;
import io.github.promkinesis.kinesis.streams.StreamId;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Every setting of the adapter, read and checked once at start, before Camel starts: type, range, allowed
 * values and combinations. A bad one stops the start with one line naming the environment variable, the value
 * and what is allowed. The defaults live in application.properties only; the YAML routes and Camel's own
 * settings read the checked values through {@link #asProperties()}.
 */
public final class Settings {

    /** Its name in Camel's registry. */
    public static final String BEAN = "settings";

    private static final int MAX_INT = Integer.MAX_VALUE;

    private final Map<String, String> values = new LinkedHashMap<>();
    private final SettingsSource source;

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

    private Settings(SettingsSource source, boolean everything) {
        this.source = source;
        kinesisEndpoint = endpoint("kinesis.endpoint");
        awsRegion = region();
        httpPort = (int) whole("http.port", 1, 65_535);
        tlsCertFile = together("tls.cert-file", "tls.key-file", "for HTTPS");
        tlsKeyFile = text("tls.key-file");
        if (!everything) {
            sink = null;
            firehoseStreamName = null;
            firehoseEndpoint = null;
            streamName = null;
            attemptTimeoutMs = 0;
            deliveryDeadlineMs = 0;
            retryAfterSeconds = 0;
            maxBodyBytes = 0;
            idleTimeoutSeconds = 0;
            headerTimeoutSeconds = 0;
            bodyTimeoutSeconds = 0;
            maxConnections = 0;
            routesLocation = null;
            routesReload = false;
            assumedRole = AssumedRole.NONE;
            return;
        }
        sink = oneOf("sink", "kinesis", "firehose");
        firehoseEndpoint = endpoint("firehose.endpoint");
        boolean firehose = sink.equals("firehose");
        firehoseStreamName = firehose ? required("firehose.stream.name", "the Firehose stream that receives the JSON"
                + " lines, with SINK=firehose") : text("firehose.stream.name");
        if (firehose && !firehoseStreamName.matches("[a-zA-Z0-9_.-]{1,64}")) {
            throw refused("firehose.stream.name", firehoseStreamName, "a Firehose stream name (a-z A-Z 0-9 _ . -,"
                    + " up to 64)");
        }
        streamName = firehose ? text("stream.name")
                : required("stream.name", "the Kinesis data stream that receives the JSON lines");
        assumedRole = assumedRole();
        if (!firehose && !StreamId.valid(streamName)) {
            throw refused("stream.name", streamName, "a stream name (a-z A-Z 0-9 _ . -, up to 128) or a stream ARN,"
                    + " arn:aws:kinesis:REGION:ACCOUNT:stream/NAME");
        }
        if (StreamId.isArn(streamName) && !StreamId.region(streamName).equals(awsRegion)) {
            throw new InvalidSettingException("STREAM_NAME is a stream in " + StreamId.region(streamName)
                    + " but AWS_REGION is " + awsRegion + ": set AWS_REGION=" + StreamId.region(streamName));
        }
        oneOf("output.metadata-lines", "true", "false");
        boolean packed;
        if (text("kinesis.record.mode").isEmpty()) { // Firehose bills each record in 5 KB steps: packed then
            packed = firehose;
            values.put("kinesis.record.mode", packed ? "packed" : "sample");
        } else {
            packed = oneOf("kinesis.record.mode", "sample", "packed").equals("packed");
        }
        whole("kinesis.record.max-bytes", 1, firehose ? 1_024_000 : 1_048_000);
        whole("kinesis.record.max-lines", 1, 100_000);
        if (oneOf("kinesis.record.gzip", "true", "false").equals("true") && !packed) {
            throw new InvalidSettingException("KINESIS_RECORD_GZIP=true needs KINESIS_RECORD_MODE=packed"
                    + " (single-line records are not compressed)");
        }
        oneOf("kinesis.partition-key", "random", "series", "metric");
        attemptTimeoutMs = (int) whole("kinesis.attempt-timeout-ms", 100, 600_000);
        deliveryDeadlineMs = (int) whole("delivery.deadline-ms", 100, 600_000);
        oneOf("delivery.failure-status", "503", "429");
        retryAfterSeconds = (int) whole("delivery.retry-after-seconds", 0, 86_400);
        required("http.host", "the address to listen on, e.g. 0.0.0.0");
        whole("max.concurrent.requests", 1, 10_000);
        maxBodyBytes = whole("max.body.bytes", 1, MAX_INT);
        idleTimeoutSeconds = (int) whole("http.idle-timeout-seconds", 1, 86_400);
        headerTimeoutSeconds = (int) whole("http.header-timeout-seconds", 1, 86_400);
        bodyTimeoutSeconds = (int) whole("http.body-timeout-seconds", 1, 86_400);
        maxConnections = (int) whole("http.max-connections", 1, 1_000_000);
        whole("max.decompressed.bytes", 1, MAX_INT);
        whole("max.inflight.bytes", 0, Long.MAX_VALUE / 16);
        whole("max.concurrent.decodes", 0, 10_000);
        whole("max.samples.per.request", 1, 100_000_000);
        together("auth.basic.username", "auth.basic.password", "for basic authentication");
        text("auth.bearer.token");
        tenant();
        routesLocation = routes();
        routesReload = oneOf("routes.reload", "true", "false").equals("true");
        if (routesReload && !routesLocation.startsWith("file:")) {
            throw new InvalidSettingException("ROUTES_RELOAD=true needs a routes directory (ROUTES_DIR): the routes"
                    + " now come from the jar, which cannot change");
        }
    }

    /** Reads and checks every setting; the first problem is thrown as an {@link InvalidSettingException}. */
    public static Settings read(SettingsSource source) {
        return new Settings(source, true);
    }

    /**
     * What the command-line tools need, read the same way: the Kinesis endpoint and region, the HTTP port and
     * whether it serves TLS. The other fields stay empty.
     */
    public static Settings forTools(SettingsSource source) {
        return new Settings(source, false);
    }

    /** The checked values by key, for Camel's property placeholders (override properties: they win). */
    public Properties asProperties() {
        Properties properties = new Properties();
        properties.putAll(values);
        return properties;
    }

    /** The checked value of a key, as the routes see it. */
    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(key + " is no setting");
        }
        return value;
    }

    private String text(String key) {
        String value = source.get(key);
        if (value == null) {
            value = "";
        }
        values.put(key, value);
        return value;
    }

    private String required(String key, String meaning) {
        String value = text(key);
        if (value.isEmpty()) {
            String variable = SettingsSource.environmentName(key);
            throw new InvalidSettingException(variable + " is required (" + meaning + "): set the environment variable "
                    + variable + ", -D" + key + "=..., or " + key + " in application.properties");
        }
        return value;
    }

    private long whole(String key, long min, long max) {
        String value = required(key, "a whole number from " + min + " to " + max);
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below, with the range
        }
        throw refused(key, value, "a whole number from " + min + " to " + max);
    }

    private String oneOf(String key, String... allowed) {
        String value = text(key).toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(value)) {
            throw refused(key, text(key), "one of " + String.join(", ", allowed));
        }
        values.put(key, value);
        return value;
    }

    /** AWS_ASSUME_ROLE_ARN and what goes with it, checked as STS checks them. */
    private AssumedRole assumedRole() {
        String arn = text("aws.assume-role.arn").trim();
        String externalId = text("aws.assume-role.external-id");
        String session = required("aws.assume-role.session-name", "the name of the role session, in CloudTrail");
        String sts = endpoint("sts.endpoint");
        if (!arn.isEmpty() && !arn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}")) {
            throw refused("aws.assume-role.arn", arn, "a role ARN, arn:aws:iam::ACCOUNT:role/NAME");
        }
        if (!externalId.isEmpty() && !externalId.matches("[\\w+=,.@:/-]{2,1224}")) {
            throw refused("aws.assume-role.external-id", "(hidden)", "2 to 1224 of a-z A-Z 0-9 + = , . @ : / - _");
        }
        if (!session.matches("[\\w+=,.@-]{2,64}")) {
            throw refused("aws.assume-role.session-name", session, "2 to 64 of a-z A-Z 0-9 + = , . @ - _");
        }
        if (arn.isEmpty() && !externalId.isEmpty()) {
            throw new InvalidSettingException("AWS_ASSUME_ROLE_EXTERNAL_ID needs AWS_ASSUME_ROLE_ARN");
        }
        return arn.isEmpty() ? AssumedRole.NONE : new AssumedRole(arn, externalId, session, sts);
    }

    /** The tenant header and its label: a label name Prometheus accepts; required only with a header to read. */
    private void tenant() {
        String header = text("tenant.header").trim();
        if (!header.isEmpty() && !header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw refused("tenant.header", header, "an HTTP header name, e.g. X-Scope-OrgID");
        }
        String label = required("tenant.label", "the label the tenant becomes");
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || label.startsWith("__")) {
            throw refused("tenant.label", label, "a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
        }
        if (oneOf("tenant.required", "true", "false").equals("true") && header.isEmpty()) {
            throw new InvalidSettingException("TENANT_REQUIRED=true needs TENANT_HEADER (the header to read the"
                    + " tenant from, e.g. X-Scope-OrgID)");
        }
    }

    private String together(String key, String other, String purpose) {
        String value = text(key);
        together(key, value, other, text(other), purpose);
        return value;
    }

    /** Two settings that only make sense together: both set or both empty. */
    static void together(String key, String value, String other, String otherValue, String purpose) {
        if (value.isEmpty() != otherValue.isEmpty()) {
            throw new InvalidSettingException(SettingsSource.environmentName(key) + " and "
                    + SettingsSource.environmentName(other) + " are needed together " + purpose);
        }
    }

    private String endpoint(String key) {
        return endpoint(key, text(key));
    }

    /** An endpoint override: empty, or an http:// or https:// URL with a host. */
    static String endpoint(String key, String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw refused(key, value, "an http:// or https:// URL, e.g. http://127.0.0.1:4567");
    }

    private String region() {
        return region(text("aws.region"), null);
    }

    /**
     * The region set, else the AWS SDK's (profile, instance metadata), else {@code otherwise} unless it is null: a
     * client cannot start without one.
     */
    static String region(String region, String otherwise) {
        if (!region.isEmpty()) {
            return region;
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        } catch (SdkClientException e) {
            if (otherwise != null) {
                return otherwise;
            }
            throw new InvalidSettingException("AWS_REGION is required: no region is set and the AWS SDK found none"
                    + " in its profile or instance metadata");
        }
    }

    /**
     * The routes directory; the default one may be absent (java -jar from another directory), and then the
     * jar's routes run. A directory named on purpose must exist.
     */
    private String routes() {
        String directory = required("routes.dir", "the directory of the YAML routes");
        Path path = Path.of(directory);
        if (Files.isDirectory(path)) {
            return "file:" + path.toAbsolutePath().normalize();
        }
        if (directory.equals(source.defaultValue("routes.dir"))) {
            return "classpath:routes";
        }
        throw refused("routes.dir", directory, "a directory of YAML routes (" + path.toAbsolutePath() + " is none)");
    }

    static InvalidSettingException refused(String key, String value, String allowed) {
        return new InvalidSettingException(SettingsSource.environmentName(key) + "=" + value + " is not allowed: "
                + "use " + allowed);
    }
}
