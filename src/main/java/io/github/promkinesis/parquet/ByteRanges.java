package io.github.promkinesis.parquet;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** A file's bytes read by position: a local file, or an object in S3 read by ranged GETs. */
public interface ByteRanges extends Closeable {

    long size() throws IOException;

    /** {@code length} bytes from {@code position}; an IOException when the file is shorter. */
    byte[] read(long position, int length) throws IOException;

    /**
     * A local file opened for each read, so that it can be shared and dropped without closing it; pinned to the
     * file there now: once another file is put in its place (a day compacted again), reads throw
     * {@link ReplacedException} instead of reading the new file's bytes at the old one's offsets.
     */
    static ByteRanges reopening(Path path) throws IOException {
        Object pinned = identity(path);
        long size = Files.size(path);
        return new ByteRanges() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public byte[] read(long position, int length) throws IOException {
                try (ByteRanges file = of(path)) {
                    // opened before the check: if the path still names the pinned file, the channel reads it
                    if (!pinned.equals(identity(path))) {
                        throw new ReplacedException(path + " was replaced since it was opened");
                    }
                    return file.read(position, length);
                }
            }

            @Override
            public void close() {
                // nothing is held open
            }
        };
    }

    /** The file's inode where the file system has one, else its size and time of change. */
    private static Object identity(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return attributes.fileKey() != null ? attributes.fileKey()
                : List.of(attributes.size(), attributes.lastModifiedTime());
    }

    /** The file was replaced by another since this one was opened: what was read of it describes no longer. */
    final class ReplacedException extends IOException {
        public ReplacedException(String message) {
            super(message);
        }
    }

    /** A local file, open until closed. */
    static ByteRanges of(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        return new ByteRanges() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public byte[] read(long position, int length) throws IOException {
                ByteBuffer bytes = ByteBuffer.allocate(Math.max(length, 0));
                while (bytes.hasRemaining()) {
                    if (channel.read(bytes, position + bytes.position()) < 0) {
                        throw new EOFException("the file ends before byte " + (position + length));
                    }
                }
                return bytes.array();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
