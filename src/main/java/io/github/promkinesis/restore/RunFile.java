package io.github.promkinesis.restore;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * A sorted run on disk, in blocks of about 64 KiB of entries, so reading one back holds one block in memory. In a
 * block, each entry is written as what differs from the one before: its key past their common start, its line
 * between their common start and common end. Sorted entries are mostly a series' samples one after another, whose
 * lines differ only in the time and the value, found with a few vector compares. Snappy then finds what is left
 * to share, as in a run by time, each line another series'. A day's runs take half the disk they took as snappy
 * blocks of whole lines (docs/journal.md, "Compact").
 */
final class RunFile {

    private static final int BLOCK = 1 << 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private RunFile() {
    }

    /** Writes the entries to the file; how many. */
    static long write(Entries entries, Path file) throws IOException {
        Coder coder = new Coder();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BLOCK))) {
            while (entries.next()) {
                int size = Entries.HEADER + entries.keyLength() + entries.lineLength();
                if (coder.decoded > 0 && coder.decoded + size > BLOCK) {
                    coder.flush(out);
                }
                coder.add(entries);
            }
            if (coder.decoded > 0) {
                coder.flush(out);
            }
            return coder.total;
        }
    }

    /** A block being written: the entries coded against the one before, which it keeps a copy of. */
    private static final class Coder {
        private byte[] coded = new byte[BLOCK];
        private int used;
        private byte[] compressed = new byte[Snappy.maxCompressedLength(BLOCK)];
        private byte[] key = new byte[64];
        private int keyLength;
        private byte[] line = new byte[512];
        private int lineLength;
        /** Bytes of the block once read back (its entries in {@link Entries}' layout): 0 while it is empty. */
        private int decoded;
        private long total;

        void add(Entries entry) {
            byte[] array = entry.array();
            int keyAt = entry.keyOffset();
            int newKeyLength = entry.keyLength();
            int lineAt = entry.lineOffset();
            int newLineLength = entry.lineLength();
            room(5 * 5 + newKeyLength + newLineLength);
            int keyShared = shared(key, 0, keyLength, array, keyAt, newKeyLength);
            putVarint(keyShared);
            putBytes(array, keyAt + keyShared, newKeyLength - keyShared);
            int start = shared(line, 0, lineLength, array, lineAt, newLineLength);
            int end = sharedEnd(line, lineLength, array, lineAt + newLineLength, Math.min(lineLength, newLineLength) - start);
            putVarint(start);
            putVarint(end);
            putBytes(array, lineAt + start, newLineLength - start - end);

            key = kept(key, array, keyAt, newKeyLength);
            keyLength = newKeyLength;
            line = kept(line, array, lineAt, newLineLength);
            lineLength = newLineLength;
            decoded += Entries.HEADER + newKeyLength + newLineLength;
            total++;
        }

        void flush(DataOutputStream out) throws IOException {
            int length = Snappy.compress(coded, 0, used, compressed, 0);
            out.writeInt(decoded);
            out.writeInt(used);
            out.writeInt(length);
            out.write(compressed, 0, length);
            used = 0;
            decoded = 0;
            keyLength = 0;
            lineLength = 0;
        }

        private void room(int bytes) {
            if (used + bytes > coded.length) {
                coded = Arrays.copyOf(coded, Math.max(2 * coded.length, used + bytes));
                compressed = new byte[Snappy.maxCompressedLength(coded.length)];
            }
        }

        private void putVarint(int value) {
            while ((value & ~0x7f) != 0) {
                coded[used++] = (byte) (value & 0x7f | 0x80);
                value >>>= 7;
            }
            coded[used++] = (byte) value;
        }

        private void putBytes(byte[] from, int at, int length) {
            putVarint(length);
            System.arraycopy(from, at, coded, used, length);
            used += length;
        }

        private static byte[] kept(byte[] copy, byte[] from, int at, int length) {
            if (copy.length < length) {
                copy = new byte[Math.max(2 * copy.length, length)];
            }
            System.arraycopy(from, at, copy, 0, length);
            return copy;
        }
    }

    /** How many first bytes of a and b are equal. */
    private static int shared(byte[] a, int aAt, int aLength, byte[] b, int bAt, int bLength) {
        int differ = Arrays.mismatch(a, aAt, aAt + aLength, b, bAt, bAt + bLength);
        return differ < 0 ? aLength : differ;
    }

    /** How many last bytes of a (ending at aEnd) and b (ending at bEnd) are equal, at most max. */
    private static int sharedEnd(byte[] a, int aEnd, byte[] b, int bEnd, int max) {
        int n = 0;
        while (n + 8 <= max && (long) LONGS.get(a, aEnd - n - 8) == (long) LONGS.get(b, bEnd - n - 8)) {
            n += 8;
        }
        while (n < max && a[aEnd - n - 1] == b[bEnd - n - 1]) {
            n++;
        }
        return n;
    }

    /** A run file read back, block by block. */
    static Entries read(Path file) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 8192));
        return new Entries.InBuffer() {
            // a block's entries code to far fewer bytes than they take (grown when not)
            private byte[] compressed = new byte[Snappy.maxCompressedLength(BLOCK / 4)];
            private byte[] coded = new byte[BLOCK / 4];
            private int read;
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
                int codedLength = in.readInt();
                int length = in.readInt();
                if (compressed.length < length) {
                    compressed = new byte[length];
                }
                in.readFully(compressed, 0, length);
                if (coded.length < codedLength) {
                    coded = new byte[codedLength];
                }
                Snappy.uncompress(compressed, 0, length, coded, 0);
                if (buffer == null || buffer.length < raw) {
                    buffer = new byte[Math.max(BLOCK, raw)];
                }
                decode(codedLength, raw);
                used = raw;
                next = 0;
                return true;
            }

            /** Rebuilds the block's entries in {@link Entries}' layout, each from the one before it. */
            private void decode(int codedLength, int raw) throws IOException {
                read = 0;
                int previous = -1;
                int to = 0;
                while (read < codedLength) {
                    int keyShared = varint();
                    int keyRest = varint();
                    int keyAt = read;
                    read += keyRest;
                    int start = varint();
                    int end = varint();
                    int middle = varint();
                    int keyLength = keyShared + keyRest;
                    int lineLength = start + middle + end;
                    if (to + HEADER + keyLength + lineLength > raw || read + middle > codedLength) {
                        throw new IOException("a sorted run is damaged: " + file);
                    }
                    int entryKey = to + HEADER;
                    int entryLine = entryKey + keyLength;
                    if (previous >= 0) {
                        int previousKey = previous + HEADER;
                        int previousLine = previousKey + Entries.keyLength(buffer, previous);
                        System.arraycopy(buffer, previousKey, buffer, entryKey, keyShared);
                        System.arraycopy(buffer, previousLine, buffer, entryLine, start);
                        System.arraycopy(buffer, previousLine + Entries.lineLength(buffer, previous) - end, buffer,
                                entryLine + start + middle, end);
                    } else if (keyShared + start + end > 0) {
                        throw new IOException("a sorted run is damaged: " + file);
                    }
                    System.arraycopy(coded, keyAt, buffer, entryKey + keyShared, keyRest);
                    System.arraycopy(coded, read, buffer, entryLine + start, middle);
                    read += middle;
                    Entries.header(buffer, to, keyLength, lineLength);
                    previous = to;
                    to = entryLine + lineLength;
                }
                if (to != raw) {
                    throw new IOException("a sorted run is damaged: " + file);
                }
            }

            private int varint() {
                int value = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = coded[read++];
                    value |= (b & 0x7f) << shift;
                    if (b >= 0) {
                        return value;
                    }
                }
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
