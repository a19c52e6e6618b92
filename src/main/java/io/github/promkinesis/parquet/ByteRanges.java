package io.github.promkinesis.parquet;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file's bytes read by position: a local file, or an object in S3 read by ranged GETs. */
public interface ByteRanges extends Closeable {

    long size() throws IOException;

    /** {@code length} bytes from {@code position}; an IOException when the file is shorter. */
    byte[] read(long position, int length) throws IOException;

    /** A local file opened for each read, so that it can be shared and dropped without closing it. */
    static ByteRanges reopening(Path path) {
        return new ByteRanges() {
            @Override
            public long size() throws IOException {
                return Files.size(path);
            }

            @Override
            public byte[] read(long position, int length) throws IOException {
                try (ByteRanges file = of(path)) {
                    return file.read(position, length);
                }
            }

            @Override
            public void close() {
                // nothing is held open
            }
        };
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
