package io.github.promkinesis.kinesis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One Kinesis record: whole JSON lines (raw or gzip), its partition key, and how many float samples, histogram
 * samples and exemplars its lines are.
 */
public record KinesisRecord(String partitionKey, ByteBuffer data, int samples, int histograms, int exemplars) {

    /** What the record weighs against Kinesis' per-entry and per-request limits: data plus key, in bytes. */
    public int entryBytes() {
        return data.remaining() + utf8Length(partitionKey);
    }

    private static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
