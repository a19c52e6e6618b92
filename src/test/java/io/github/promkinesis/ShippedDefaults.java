package io.github.promkinesis;

import io.github.promkinesis.config.Settings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.kinesis.KinesisRecords;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.protocol.SnappyDataFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The route's beans set as routes/remote-write.yaml sets them from application.properties' defaults, as Settings
 * checks and completes them (the default sink, Kinesis).
 */
public final class ShippedDefaults {

    private static final Properties SETTINGS = load();

    private ShippedDefaults() {
    }

    public static String get(String key) {
        return SETTINGS.getProperty(key).trim();
    }

    public static KinesisRecords kinesisRecords() {
        KinesisRecords records = new KinesisRecords();
        records.setMode(get("kinesis.record.mode"));
        records.setMaxBytes(Integer.parseInt(get("kinesis.record.max-bytes")));
        records.setMaxLines(Integer.parseInt(get("kinesis.record.max-lines")));
        records.setGzip(Boolean.parseBoolean(get("kinesis.record.gzip")));
        records.setPartitionKey(get("kinesis.partition-key"));
        return records;
    }

    public static JsonLineWriter encoder() {
        JsonLineWriter encoder = new JsonLineWriter();
        encoder.setMaxSamples(Integer.parseInt(get("max.samples.per.request")));
        encoder.setMetadataLines(Boolean.parseBoolean(get("output.metadata-lines")));
        return encoder;
    }

    public static SnappyDataFormat snappy() {
        SnappyDataFormat snappy = new SnappyDataFormat();
        snappy.setMaxDecompressedBytes(Long.parseLong(get("max.decompressed.bytes")));
        return snappy;
    }

    private static Properties load() {
        return Settings.read(SettingsSource.environmentOnly(Map.of("STREAM_NAME", "shipped",
                "AWS_REGION", "eu-west-1"))).asProperties();
    }
}
