package io.github.promkinesis.config;

/** A setting is missing or unusable: the process must stop before it takes any request, saying which. */
public class InvalidSettingException extends IllegalStateException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
