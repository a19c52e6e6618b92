package io.github.promkinesis.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The settings one process reads ({@link Setting.Reader}), each checked as {@link Setting} declares it, in its
 * order; the first bad one is an {@link InvalidSettingException} of one line. Asking for a setting the process
 * does not read is a mistake in the code, not in the settings.
 */
public final class SettingValues {

    private final Map<Setting, String> values = new LinkedHashMap<>();
    private final SettingsSource source;

    private SettingValues(SettingsSource source, Setting.Reader reader) {
        this.source = source;
        for (Setting setting : Setting.values()) {
            if (setting.readBy(reader)) {
                String value = setting.key() == null ? source.environment(setting.name()) : source.get(setting.key());
                values.put(setting, setting.check(value == null ? "" : value));
            }
        }
    }

    public static SettingValues read(SettingsSource source, Setting.Reader reader) {
        return new SettingValues(source, reader);
    }

    public String text(Setting setting) {
        String value = values.get(setting);
        if (value == null) {
            throw new IllegalArgumentException(setting + " is not read here");
        }
        return value;
    }

    public long whole(Setting setting) {
        return Long.parseLong(text(setting));
    }

    public Duration duration(Setting setting) {
        return Durations.parse(text(setting));
    }

    public boolean isTrue(Setting setting) {
        return text(setting).equals("true");
    }

    public boolean isEmpty(Setting setting) {
        return text(setting).isEmpty();
    }

    /** A file or directory setting's path, or null when empty. */
    public Path file(Setting setting) {
        return isEmpty(setting) ? null : Path.of(text(setting));
    }

    /** The region set, else the AWS SDK's (profile, instance metadata): a client cannot start without one. */
    public String region() {
        return region(text(Setting.AWS_REGION), null);
    }

    /** The region set, else the SDK's, else {@code otherwise} unless it is null. */
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
            throw new InvalidSettingException(Setting.AWS_REGION + " is required: no region is set and the AWS SDK"
                    + " found none in its profile or instance metadata");
        }
    }

    /** The value, refused as empty when {@code condition} (e.g. " with SINK=kinesis") needs one. */
    String required(Setting setting, String condition) {
        if (isEmpty(setting)) {
            throw setting.required(condition);
        }
        return text(setting);
    }

    /** Two settings that only make sense together: both set or both empty. */
    void together(Setting one, Setting other, String purpose) {
        if (isEmpty(one) != isEmpty(other)) {
            throw new InvalidSettingException(one + " and " + other + " are needed together " + purpose);
        }
    }

    /** Two settings of which at most one may be set. */
    void exclusive(Setting one, Setting other) {
        if (!isEmpty(one) && !isEmpty(other)) {
            throw new InvalidSettingException(one + " and " + other + " exclude each other: set one");
        }
    }

    /** What an empty value stands for, as the routes are to see it. */
    void fill(Setting setting, String value) {
        if (isEmpty(setting)) {
            values.put(setting, value);
        }
    }

    /** The jar's built-in value of a setting, or null. */
    String defaultValue(Setting setting) {
        return source.defaultValue(setting.key());
    }

    /** The checked values by key, for Camel's property placeholders (override properties: they win). */
    Properties asProperties() {
        Properties properties = new Properties();
        values.forEach((setting, value) -> {
            if (setting.key() != null) {
                properties.setProperty(setting.key(), value);
            }
        });
        return properties;
    }
}
