package io.github.promkinesis.restore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lines of one object copied out of the reading buffer, with their line numbers, until a shard decodes them:
 * held as their bytes (a third of what decoded lines take), in blocks small enough that the collector never
 * treats one as a humongous object.
 */
final class LineBatch {

    private static final int BLOCK = 1 << 16;

    final String object;
    private final List<byte[]> blocks = new ArrayList<>();
    /** Per line: its block, offset and length. */
    private int[] where = new int[3 * 512];
    private long[] numbers = new long[512];
    private int size;
    private int fill = BLOCK;

    LineBatch(String object) {
        this.object = object;
    }

    void add(long lineNumber, byte[] bytes, int offset, int length) {
        if (fill + length > BLOCK || blocks.isEmpty()) {
            blocks.add(new byte[Math.max(BLOCK, length)]);
            fill = 0;
        }
        if (size == numbers.length) {
            numbers = Arrays.copyOf(numbers, size * 2);
            where = Arrays.copyOf(where, size * 6);
        }
        byte[] block = blocks.get(blocks.size() - 1);
        System.arraycopy(bytes, offset, block, fill, length);
        numbers[size] = lineNumber;
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
            each.take(numbers[i], blocks.get(where[3 * i]), where[3 * i + 1], where[3 * i + 2]);
        }
    }

    interface Line {
        void take(long lineNumber, byte[] bytes, int offset, int length);
    }
}
