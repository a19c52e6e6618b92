package io.github.promkinesis.protocol;

/** The body cannot be snappy-decoded: resending it would never succeed. */
public class InvalidSnappyException extends IllegalArgumentException {
    public InvalidSnappyException(String message, Throwable cause) {
        super(message, cause);
    }
}
