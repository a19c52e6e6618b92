package io.github.promkinesis.http;

/** The tenant header is missing while required, or holds a value that cannot be a label value (400). */
public class InvalidTenantException extends RuntimeException {
    public InvalidTenantException(String message) {
        super(message);
    }
}
