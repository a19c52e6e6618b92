package io.github.promkinesis.restore;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The objects of an archive as Amazon Data Firehose lays them out in S3: each the concatenation of record
 * payloads, plain JSON lines or gzip (one stream, or one member per packed gzip record). Gzip is told by its
 * magic bytes, never by the name.
 */
public final class ArchiveObjects {

    /** Every regular file under a directory (sorted: Firehose's keys sort by time), or the one file given. */
    public static List<Path> list(Path source) {
        if (Files.isRegularFile(source)) {
            return List.of(source);
        }
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException(source + " is neither a file nor a directory");
        }
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's JSON lines: unzipped when it starts with gzip's magic bytes 1f 8b. */
    public InputStream open(Path object) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(object), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
