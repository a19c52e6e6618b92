package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code --checkpoint FILE}: the objects a restore finished (every sample accepted or refused), one name a line,
 * so a rerun after a crash or a kill continues with the next object. An object cut off mid-way is restored again
 * from its start; a receiver keeps identical samples once.
 */
final class Checkpoint {

    private final Path file;
    private final Set<String> finished = new HashSet<>();

    Checkpoint(Path file) {
        this.file = file;
        if (file != null && Files.exists(file)) {
            try {
                finished.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    boolean finished(String object) {
        return finished.contains(object);
    }

    void done(String object) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, object + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }
}
