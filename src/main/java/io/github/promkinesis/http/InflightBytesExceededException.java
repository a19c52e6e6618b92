package io.github.promkinesis.http;

/** A request that would take more memory than the whole MAX_INFLIGHT_BYTES budget: it can never be taken (413). */
public class InflightBytesExceededException extends RuntimeException {
    public InflightBytesExceededException(String message) {
        super(message);
    }
}
