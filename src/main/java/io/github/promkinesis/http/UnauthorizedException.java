package io.github.promkinesis.http;

/** Missing or wrong credentials; the message never holds what was presented. */
public class UnauthorizedException extends SecurityException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
