package io.github.promkinesis.kinesis;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long and how often undelivered records are retried: exponential backoff with full jitter
 * (a random wait between 0 and min(maxBackoff, base * 2^(n-1)) after the n-th attempt in a row without progress),
 * within a time budget per PutRecords call when no request deadline bounds it.
 */
public record RetryPolicy(Duration budget, Duration baseBackoff, Duration maxBackoff) {

    long backoffNanos(int attemptsWithoutProgress, RandomGenerator random) {
        long ceiling = Math.min(maxBackoff.toNanos(), baseBackoff.toNanos() << Math.min(attemptsWithoutProgress - 1, 30));
        return 1 + random.nextLong(Math.max(1, ceiling));
    }
}
