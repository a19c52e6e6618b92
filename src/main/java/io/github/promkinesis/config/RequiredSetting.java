package io.github.promkinesis.config;

import org.apache.camel.spi.PropertiesComponent;

/** Settings without a usable default: the adapter refuses to start without them, naming what is missing. */
public enum RequiredSetting {
    STREAM_NAME("stream.name", "the Kinesis data stream that receives the JSON lines");

    private final String key;
    private final String meaning;

    RequiredSetting(String key, String meaning) {
        this.key = key;
        this.meaning = meaning;
    }

    /** The environment variable that overrides the key, as Camel maps it (upper case, '.' and '-' as '_'). */
    public String environmentName() {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    void check(PropertiesComponent properties) {
        String value = properties.resolveProperty(key).orElse("");
        if (value.isBlank()) {
            throw new MissingSettingException(environmentName() + " is required (" + meaning
                    + "): set the environment variable " + environmentName() + ", -D" + key
                    + "=..., or " + key + " in application.properties");
        }
    }
}
