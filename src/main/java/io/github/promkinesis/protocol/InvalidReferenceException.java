package io.github.promkinesis.protocol;

/** A remote-write 2.0 series refers to symbols that are not there: the request is malformed (400). */
public class InvalidReferenceException extends RuntimeException {
    public InvalidReferenceException(String message) {
        super(message);
    }
}
