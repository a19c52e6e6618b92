package io.github.promkinesis.read;

import java.time.Duration;

/**
 * The limits of one query, each named in its refusal as Prometheus shows the remote's answer as the query's
 * error: series and samples (counted from the index before reading), bytes of a SAMPLES answer, and time.
 */
public record ReadLimits(long maxSeries, long maxSamples, long maxBytes, Duration timeout) {

    /** A query beyond a limit: answered 400 with this message, as Prometheus' own remote read answers its limit. */
    public static final class ExceededException extends RuntimeException {
        ExceededException(String message) {
            super(message);
        }
    }

    /** A request still reading when its time is up: answered 503. */
    public static final class TimeoutException extends RuntimeException {
        TimeoutException(String message) {
            super(message);
        }
    }

    void checkSeries(long series) {
        if (series > maxSeries) {
            throw new ExceededException("the query selects more than " + maxSeries + " series (READ_MAX_SERIES):"
                    + " narrow its matchers or time range");
        }
    }

    void checkSamples(long samples) {
        if (samples > maxSamples) {
            throw new ExceededException("the query selects more than " + maxSamples + " samples (READ_MAX_SAMPLES,"
                    + " counted by whole days): narrow its matchers or time range");
        }
    }

    void checkBytes(long bytes) {
        if (bytes > maxBytes) {
            throw new ExceededException("the answer is larger than " + maxBytes + " bytes (READ_MAX_BYTES):"
                    + " narrow the query's matchers or time range");
        }
    }

    /** When a request that starts now must be done. */
    long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    void checkTime(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw new TimeoutException("the request took longer than " + timeout.toSeconds() + " s (READ_TIMEOUT)");
        }
    }
}
