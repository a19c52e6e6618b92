package io.github.promkinesis.config;

/** A required setting has no value: the process must stop before it takes any request. */
public class MissingSettingException extends IllegalStateException {
    public MissingSettingException(String message) {
        super(message);
    }
}
