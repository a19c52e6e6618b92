package io.github.promkinesis.kinesis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionKeysTest {

    private final PartitionKeys keys = new PartitionKeys();

    @Test
    void keysAreValidKinesisPartitionKeys() {
        for (int i = 0; i < 10_000; i++) {
            String key = keys.next();
            assertTrue(key.length() >= 1 && key.length() <= PartitionKeys.MAX_LENGTH, key);
            assertTrue(key.chars().allMatch(c -> c < 128), key);
        }
    }

    @Test
    void keysSpreadEvenlyOverShardsAsKinesisHashesThem() throws Exception {
        // Kinesis maps MD5(key) as a 128-bit number onto equal hash-key ranges, one per shard
        int shards = 8;
        int draws = 80_000;
        int[] perShard = new int[shards];
        BigInteger range = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(shards));
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < draws; i++) {
            String key = keys.next();
            distinct.add(key);
            BigInteger hash = new BigInteger(1, md5.digest(key.getBytes()));
            perShard[hash.divide(range).intValue()]++;
        }
        for (int count : perShard) {
            // expected 10,000 each; 5% is over 10 standard deviations
            assertTrue(Math.abs(count - draws / shards) < draws / shards / 20, "per shard " + count);
        }
        assertTrue(distinct.size() > draws * 0.99);
    }
}
