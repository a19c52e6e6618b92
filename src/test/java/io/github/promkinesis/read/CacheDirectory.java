package io.github.promkinesis.read;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a disk cache's directory holds, looked at from outside: its files and their size. */
public final class CacheDirectory {

    private CacheDirectory() {
    }

    /** The files directly in it, by name. */
    public static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    /** The bytes of its files. */
    public static long bytes(Path directory) throws IOException {
        long size = 0;
        for (Path file : files(directory)) {
            size += Files.size(file);
        }
        return size;
    }
}
