package io.github.promkinesis.http;

/** Too many requests in flight: this one is refused before any work, to be resent later. */
public class OverloadedException extends RuntimeException {
    public OverloadedException(String message) {
        super(message);
    }
}
