package io.github.promkinesis.config;

import static io.github.promkinesis.config.Setting.Reader.ADAPTER;
import static io.github.promkinesis.config.Setting.Reader.ARCHIVE_READER;
import static io.github.promkinesis.config.Setting.Reader.HEALTH_PROBE;
import static io.github.promkinesis.config.Setting.Reader.RESTORE;
import static io.github.promkinesis.config.Setting.Reader.STREAM_TOOL;

import io.github.promkinesis.kinesis.streams.StreamId;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Every setting, declared once, in the order they are checked: its key in application.properties (the constant's
 * name is its environment variable), what its value may be, and which processes read it. Each process reads the
 * settings it uses through {@link SettingValues}, which checks them here; the rules between settings are the
 * readers' ({@link Settings}, {@link RestoreSettings}).
 *
 * <p>To add one: a line in application.properties (its default, the only place defaults live), a constant here,
 * a row in README's configuration table; SettingsCatalogTest fails while one of the three is missing.
 */
public enum Setting {

    SINK("sink", oneOf("kinesis", "firehose"), ADAPTER),
    STREAM_NAME("stream.name", valid(StreamId::valid, "a stream name (a-z A-Z 0-9 _ . -, up to 128) or a stream"
            + " ARN, arn:aws:kinesis:REGION:ACCOUNT:stream/NAME"), ADAPTER),
    FIREHOSE_STREAM_NAME("firehose.stream.name", matching("[a-zA-Z0-9_.-]{1,64}",
            "a Firehose stream name (a-z A-Z 0-9 _ . -, up to 64)"), ADAPTER),
    FIREHOSE_ENDPOINT("firehose.endpoint", url(), ADAPTER),
    AWS_REGION("aws.region", text(), ADAPTER, RESTORE, STREAM_TOOL, ARCHIVE_READER),
    KINESIS_ENDPOINT("kinesis.endpoint", url(), ADAPTER, RESTORE, STREAM_TOOL),
    OUTPUT_METADATA_LINES("output.metadata-lines", bool(), ADAPTER),
    /** Empty: chosen by the sink ({@link Settings}). */
    KINESIS_RECORD_MODE("kinesis.record.mode", oneOf("sample", "packed").orEmpty(), ADAPTER),
    KINESIS_RECORD_MAX_BYTES("kinesis.record.max-bytes", whole(1, 1_048_000), ADAPTER),
    KINESIS_RECORD_MAX_LINES("kinesis.record.max-lines", whole(1, 100_000), ADAPTER),
    KINESIS_RECORD_GZIP("kinesis.record.gzip", bool(), ADAPTER),
    KINESIS_PARTITION_KEY("kinesis.partition-key", oneOf("random", "series", "metric"), ADAPTER),
    KINESIS_ATTEMPT_TIMEOUT_MS("kinesis.attempt-timeout-ms", whole(100, 600_000), ADAPTER),
    DELIVERY_DEADLINE_MS("delivery.deadline-ms", whole(100, 600_000), ADAPTER),
    DELIVERY_FAILURE_STATUS("delivery.failure-status", oneOf("503", "429"), ADAPTER),
    DELIVERY_RETRY_AFTER_SECONDS("delivery.retry-after-seconds", whole(0, 86_400), ADAPTER),
    HTTP_HOST("http.host", matching("\\S+", "the address to listen on, e.g. 0.0.0.0").required(), ADAPTER,
            ARCHIVE_READER),
    HTTP_PORT("http.port", whole(1, 65_535), ADAPTER, HEALTH_PROBE, ARCHIVE_READER),
    /** Read by PemTls when Camel starts, which names them when they cannot be read. */
    TLS_CERT_FILE("tls.cert-file", text(), ADAPTER, HEALTH_PROBE, ARCHIVE_READER),
    TLS_KEY_FILE("tls.key-file", text(), ADAPTER, ARCHIVE_READER),
    HTTP_IDLE_TIMEOUT_SECONDS("http.idle-timeout-seconds", whole(1, 86_400), ADAPTER),
    HTTP_HEADER_TIMEOUT_SECONDS("http.header-timeout-seconds", whole(1, 86_400), ADAPTER),
    HTTP_BODY_TIMEOUT_SECONDS("http.body-timeout-seconds", whole(1, 86_400), ADAPTER),
    HTTP_MAX_CONNECTIONS("http.max-connections", whole(1, 1_000_000), ADAPTER),
    MAX_CONCURRENT_REQUESTS("max.concurrent.requests", whole(1, 10_000), ADAPTER),
    MAX_BODY_BYTES("max.body.bytes", whole(1, Integer.MAX_VALUE), ADAPTER, ARCHIVE_READER),
    MAX_DECOMPRESSED_BYTES("max.decompressed.bytes", whole(1, Integer.MAX_VALUE), ADAPTER, ARCHIVE_READER),
    /** Its budget is multiplied (8x a declared size, plus the body): kept far from overflowing. */
    MAX_INFLIGHT_BYTES("max.inflight.bytes", whole(0, Long.MAX_VALUE / 16), ADAPTER),
    MAX_CONCURRENT_DECODES("max.concurrent.decodes", whole(0, 10_000), ADAPTER),
    MAX_SAMPLES_PER_REQUEST("max.samples.per.request", whole(1, 100_000_000), ADAPTER),
    AUTH_BASIC_USERNAME("auth.basic.username", text(), ADAPTER, ARCHIVE_READER),
    AUTH_BASIC_PASSWORD("auth.basic.password", text().secret(), ADAPTER, ARCHIVE_READER),
    AUTH_BEARER_TOKEN("auth.bearer.token", text().secret(), ADAPTER, ARCHIVE_READER),
    TENANT_HEADER("tenant.header", matching("[!#$%&'*+.^_`|~0-9A-Za-z-]+", "an HTTP header name, e.g. X-Scope-OrgID"),
            ADAPTER, ARCHIVE_READER),
    TENANT_LABEL("tenant.label", matching("(?!__)[a-zA-Z_][a-zA-Z0-9_]*",
            "a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)").required(), ADAPTER, ARCHIVE_READER),
    TENANT_REQUIRED("tenant.required", bool(), ADAPTER, ARCHIVE_READER),
    // as STS checks them
    AWS_ASSUME_ROLE_ARN("aws.assume-role.arn", matching("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}",
            "a role ARN, arn:aws:iam::ACCOUNT:role/NAME"), ADAPTER),
    AWS_ASSUME_ROLE_EXTERNAL_ID("aws.assume-role.external-id", matching("[\\w+=,.@:/-]{2,1224}",
            "2 to 1224 of a-z A-Z 0-9 + = , . @ : / - _").secret(), ADAPTER),
    AWS_ASSUME_ROLE_SESSION_NAME("aws.assume-role.session-name", matching("[\\w+=,.@-]{2,64}",
            "2 to 64 of a-z A-Z 0-9 + = , . @ - _").required(), ADAPTER),
    STS_ENDPOINT("sts.endpoint", url(), ADAPTER),
    /** Whether the directory must exist depends on the default ({@link Settings}). */
    ROUTES_DIR("routes.dir", matching(".+", "the directory of the YAML routes").required(), ADAPTER,
            ARCHIVE_READER),
    ROUTES_RELOAD("routes.reload", bool(), ADAPTER),
    S3_ENDPOINT("s3.endpoint", url(), RESTORE, ARCHIVE_READER),
    RESTORE_AUTH_BASIC_USERNAME("restore.auth.basic.username", text(), RESTORE),
    RESTORE_AUTH_BASIC_PASSWORD("restore.auth.basic.password", text().secret(), RESTORE),
    RESTORE_AUTH_BASIC_PASSWORD_FILE("restore.auth.basic.password-file", file(), RESTORE),
    RESTORE_AUTH_BEARER_TOKEN("restore.auth.bearer.token", text().secret(), RESTORE),
    RESTORE_AUTH_BEARER_TOKEN_FILE("restore.auth.bearer.token-file", file(), RESTORE),
    RESTORE_TLS_CA_FILE("restore.tls.ca-file", file(), RESTORE),
    RESTORE_TLS_CERT_FILE("restore.tls.cert-file", file(), RESTORE),
    RESTORE_TLS_KEY_FILE("restore.tls.key-file", file(), RESTORE),
    COMPACT_GRACE("compact.grace", valid(value -> Durations.parse(value) != null, "a duration such as 3h, 90m or 0")
            .required(), RESTORE),
    READ_MAX_SERIES("read.max-series", whole(1, 100_000_000), ARCHIVE_READER),
    READ_MAX_SAMPLES("read.max-samples", whole(1, 10_000_000_000L), ARCHIVE_READER),
    READ_MAX_BYTES("read.max-bytes", whole(1, Integer.MAX_VALUE), ARCHIVE_READER),
    READ_MAX_CONCURRENT("read.max-concurrent", whole(1, 10_000), ARCHIVE_READER),
    READ_TIMEOUT("read.timeout", valid(value -> Durations.parse(value) != null, "a duration such as 50s or 2m")
            .required(), ARCHIVE_READER),
    READ_CACHED_DAYS("read.cached-days", whole(1, 100_000), ARCHIVE_READER),
    /** Empty: no disk cache. Made when missing, so its nearest existing ancestor must be writable. */
    READ_CACHE_DIR("read.cache-dir", writableDirectory(), ARCHIVE_READER),
    /** At least a few of the cache's 256 KiB blocks. */
    READ_CACHE_BYTES("read.cache-bytes", whole(1 << 20, 1L << 50), ARCHIVE_READER),
    /**
     * No key: log4j2 reads it from the environment when the first line is logged, before any setting (its
     * default, text, is log4j2.properties'); the adapter only checks it, so that a typo is not a silent log.
     */
    LOG_FORMAT(null, oneOf("text", "json").orEmpty(), ADAPTER, ARCHIVE_READER);

    /** The processes that read settings; restore, export and compact read the same ones; serve-archive its own. */
    public enum Reader { ADAPTER, RESTORE, STREAM_TOOL, HEALTH_PROBE, ARCHIVE_READER }

    private final String key;
    private final Type type;
    private final Set<Reader> readers;

    Setting(String key, Type type, Reader reader, Reader... more) {
        this.key = key;
        this.type = type;
        this.readers = EnumSet.of(reader, more);
    }

    /** Its key in application.properties, -D and Camel's placeholders; null for one read from the environment only. */
    public String key() {
        return key;
    }

    boolean readBy(Reader reader) {
        return readers.contains(reader);
    }

    /** The value as the code and the routes use it (trimmed, case folded where case means nothing), or refused. */
    String check(String value) {
        if (value.isEmpty()) {
            if (type.mandatory) {
                throw required("");
            }
            return value;
        }
        String accepted = type.accept.apply(value);
        if (accepted == null) {
            throw refused(value, type.allowed.apply(value));
        }
        return accepted;
    }

    /** Empty where it is needed; {@code condition} says when, or is empty when always. */
    InvalidSettingException required(String condition) {
        String variable = name();
        String where = key == null ? "" : ", -D" + key + "=..., or " + key + " in application.properties";
        return new InvalidSettingException(variable + " is required" + condition + " (" + type.allowed.apply("")
                + "): set the environment variable " + variable + where);
    }

    /** The one line that refuses a value: the variable, the value (unless secret) and what is allowed. */
    InvalidSettingException refused(String value, String allowed) {
        return new InvalidSettingException(name() + "=" + (type.hidden ? "(hidden)" : value) + " is not allowed: use "
                + allowed);
    }

    /**
     * What a value may be: {@code accept} returns it as used, or null when it is not allowed; {@code allowed}
     * says what is, given the refused value. Empty is allowed unless required.
     */
    record Type(UnaryOperator<String> accept, UnaryOperator<String> allowed, boolean mandatory, boolean hidden) {

        Type required() {
            return new Type(accept, allowed, true, hidden);
        }

        Type orEmpty() {
            return new Type(accept, allowed, false, hidden);
        }

        /** Never shown in a refusal. */
        Type secret() {
            return new Type(accept, allowed, mandatory, true);
        }
    }

    private static Type text() {
        return new Type(value -> value, value -> "any text", false, false);
    }

    private static Type valid(Predicate<String> test, String allowed) {
        return new Type(value -> test.test(value) ? value : null, value -> allowed, false, false);
    }

    private static Type matching(String regex, String allowed) {
        return valid(value -> value.matches(regex), allowed);
    }

    private static Type whole(long min, long max) {
        return valid(value -> {
            try {
                long number = Long.parseLong(value);
                return number >= min && number <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        }, "a whole number from " + min + " to " + max).required();
    }

    /** Case means nothing in these values: they are compared and handed on in lower case. */
    private static Type oneOf(String... values) {
        List<String> allowed = List.of(values);
        return new Type(value -> allowed.contains(value.toLowerCase(Locale.ROOT)) ? value.toLowerCase(Locale.ROOT)
                : null, value -> "one of " + String.join(", ", allowed), true, false);
    }

    private static Type bool() {
        return oneOf("true", "false");
    }

    /** An endpoint override: an http:// or https:// URL with a host; empty: AWS's. */
    private static Type url() {
        return valid(value -> {
            try {
                URI uri = URI.create(value);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }, "an http:// or https:// URL, e.g. http://127.0.0.1:4567");
    }

    private static Type file() {
        return new Type(value -> {
            Path file = path(value);
            return file != null && Files.isRegularFile(file) && Files.isReadable(file) ? value : null;
        }, value -> "a readable file (" + (path(value) == null ? value : path(value).toAbsolutePath()) + " is none)",
                false, false);
    }

    /** A directory that is there and writable, or can be made: its nearest existing ancestor is. */
    private static Type writableDirectory() {
        return new Type(value -> {
            Path directory = path(value);
            Path existing = directory == null ? null : directory.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing != null && Files.isDirectory(existing) && Files.isWritable(existing) ? value : null;
        }, value -> "a directory this process can write, or make (" + (path(value) == null ? value
                : path(value).toAbsolutePath()) + " is none)", false, false);
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
