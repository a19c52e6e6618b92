package io.github.promkinesis.protocol;

/**
 * A remote-write 2.0 request that cannot be stored as it is (400): references to symbols that are not there,
 * or series without a metric name (the rest of the request is written first, and the answer says how much).
 */
public class InvalidRequestException extends RuntimeException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
