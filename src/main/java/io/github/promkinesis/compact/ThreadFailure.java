package io.github.promkinesis.compact;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A worker thread's failure ({@link RowsAhead}, {@link LabelColumns}), given to the writing thread as its own. */
final class ThreadFailure {

    private ThreadFailure() {
    }

    /** The IOException to throw; runtime exceptions and errors are thrown as they are. */
    static IOException rethrown(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof UncheckedIOException unchecked) {
            return unchecked.getCause();
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }
}
