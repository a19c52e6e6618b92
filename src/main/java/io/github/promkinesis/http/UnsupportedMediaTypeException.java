package io.github.promkinesis.http;

/** The request's Content-Type or Content-Encoding is not one this receiver decodes. */
public class UnsupportedMediaTypeException extends IllegalArgumentException {
    public UnsupportedMediaTypeException(String message) {
        super(message);
    }
}
