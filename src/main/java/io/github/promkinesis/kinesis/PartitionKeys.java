package io.github.promkinesis.kinesis;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Partition keys for batches. Kinesis hashes the key with MD5 onto the shards, so a random 64-bit key per batch
 * spreads batches evenly over every shard, whatever the metric names are.
 */
public final class PartitionKeys {

    /** Keys are 1 to 16 ASCII characters, well inside Kinesis' 1 to 256. */
    public static final int MAX_LENGTH = 16;

    public String next() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
