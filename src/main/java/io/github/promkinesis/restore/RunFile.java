package io.github.promkinesis.restore;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xerial.snappy.Snappy;

/**
 * A sorted run on disk: its entries in blocks of about 64 KiB, each snappy-compressed (JSON lines shrink about
 * 4x, and snappy costs less CPU than the disk it saves), so reading one back holds one block in memory.
 */
final class RunFile {

    private static final int BLOCK = 1 << 16;

    private RunFile() {
    }

    /** Writes the entries to the file; how many. */
    static long write(Entries entries, Path file) throws IOException {
        long count = 0;
        byte[] block = new byte[BLOCK];
        byte[] compressed = new byte[Snappy.maxCompressedLength(BLOCK)];
        int used = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BLOCK))) {
            while (entries.next()) {
                int size = Entries.HEADER + entries.keyLength() + entries.lineLength();
                if (used > 0 && used + size > block.length) {
                    compressed = flush(out, block, used, compressed);
                    used = 0;
                }
                if (size > block.length) {
                    block = new byte[size];
                }
                used = Entries.put(block, used, entries.array(), entries.keyOffset(), entries.keyLength(), entries.array(),
                        entries.lineOffset(), entries.lineLength());
                count++;
            }
            if (used > 0) {
                flush(out, block, used, compressed);
            }
        }
        return count;
    }

    private static byte[] flush(DataOutputStream out, byte[] block, int used, byte[] compressed) throws IOException {
        if (compressed.length < Snappy.maxCompressedLength(used)) {
            compressed = new byte[Snappy.maxCompressedLength(used)];
        }
        int length = Snappy.compress(block, 0, used, compressed, 0);
        out.writeInt(used);
        out.writeInt(length);
        out.write(compressed, 0, length);
        return compressed;
    }

    /** A run file read back, block by block. */
    static Entries read(Path file) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 8192));
        return new Entries.InBuffer() {
            private byte[] compressed = new byte[Snappy.maxCompressedLength(BLOCK)];
            private int used;
            private int next;

            @Override
            public boolean next() throws IOException {
                if (next >= used && !nextBlock()) {
                    return false;
                }
                at = next;
                next = at + HEADER + Entries.keyLength(buffer, at) + Entries.lineLength(buffer, at);
                return true;
            }

            private boolean nextBlock() throws IOException {
                int raw;
                try {
                    raw = in.readInt();
                } catch (EOFException end) {
                    return false;
                }
                int length = in.readInt();
                if (compressed.length < length) {
                    compressed = new byte[length];
                }
                in.readFully(compressed, 0, length);
                if (buffer == null || buffer.length < raw) {
                    buffer = new byte[Math.max(BLOCK, raw)];
                }
                Snappy.uncompress(compressed, 0, length, buffer, 0);
                used = raw;
                next = 0;
                return true;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
