package io.github.promkinesis;

import io.github.promkinesis.encoding.SnappyDataFormat;
import io.github.promkinesis.encoding.WriteRequestToJsonLines;
import io.github.promkinesis.kinesis.KinesisRecords;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The route's beans set as routes/remote-write.yaml sets them from application.properties' defaults. */
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

    public static WriteRequestToJsonLines encoder() {
        WriteRequestToJsonLines encoder = new WriteRequestToJsonLines();
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
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
