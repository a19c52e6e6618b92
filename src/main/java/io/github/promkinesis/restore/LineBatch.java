package io.github.promkinesis.restore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of one request, copied out of the merge for their shard's thread to encode: held as their bytes, in
 * blocks small enough that the collector never treats one as a humongous object.
 */
public final class LineBatch {

    private static final int BLOCK = 1 << 16;

    private final List<byte[]> blocks = new ArrayList<>();
    /** Per line: its block, offset and length. */
    private int[] where = new int[3 * 512];
    private int size;
    private int fill = BLOCK;

    void add(byte[] bytes, int offset, int length) {
        if (fill + length > BLOCK || blocks.isEmpty()) {
            blocks.add(new byte[Math.max(BLOCK, length)]);
            fill = 0;
        }
        if (3 * size == where.length) {
            where = Arrays.copyOf(where, where.length * 2);
        }
        byte[] block = blocks.get(blocks.size() - 1);
        System.arraycopy(bytes, offset, block, fill, length);
        where[3 * size] = blocks.size() - 1;
        where[3 * size + 1] = fill;
        where[3 * size + 2] = length;
        fill += length;
        size++;
    }

    int size() {
        return size;
    }

    void forEach(Line each) {
        for (int i = 0; i < size; i++) {
            each.take(blocks.get(where[3 * i]), where[3 * i + 1], where[3 * i + 2]);
        }
    }

    public interface Line {
        void take(byte[] bytes, int offset, int length);
    }
}
