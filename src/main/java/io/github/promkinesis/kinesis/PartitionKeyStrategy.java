package io.github.promkinesis.kinesis;

import io.github.promkinesis.lines.JsonLines;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How records get their partition key, which Kinesis hashes (MD5) onto a shard. Records of one key land on one
 * shard in order; records of different keys spread over the shards.
 */
public enum PartitionKeyStrategy {

    /** A random key per record: even spread over every shard, whatever the metrics are. */
    RANDOM {
        @Override
        String group(JsonLines lines, int line) {
            return "";
        }

        @Override
        String key(String group) {
            return Long.toHexString(ThreadLocalRandom.current().nextLong());
        }
    },

    /** A hash of the series' labels: each series stays in order on one shard. */
    SERIES {
        @Override
        String group(JsonLines lines, int line) {
            return Long.toHexString(fnv1a(lines.seriesLabels(line)));
        }
    },

    /** The metric name, as the original adapter keyed its records (empty names get a fixed key). */
    METRIC {
        @Override
        String group(JsonLines lines, int line) {
            String name = lines.metricName(line);
            if (name.isEmpty()) {
                return UNNAMED;
            }
            // Kinesis keys are 1 to 256 characters; NUL separates keys on their way to the client (EntryKeys)
            return (name.length() > MAX_KEY_LENGTH ? name.substring(0, MAX_KEY_LENGTH) : name).replace('\0', '_');
        }
    };

    static final int MAX_KEY_LENGTH = 256;
    static final String UNNAMED = "__unnamed__";

    /** Lines of one group may share a record; every record gets key(group). */
    abstract String group(JsonLines lines, int line);

    String key(String group) {
        return group;
    }

    /** The strategy a KINESIS_PARTITION_KEY value (checked by Settings) names. */
    public static PartitionKeyStrategy of(String setting) {
        return valueOf(setting.toUpperCase(Locale.ROOT));
    }

    /** FNV-1a, 64 bits: stable across processes and versions, so a series keeps its key for good. */
    static long fnv1a(ByteBuffer bytes) {
        long hash = 0xcbf29ce484222325L;
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            hash ^= bytes.get(i) & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
