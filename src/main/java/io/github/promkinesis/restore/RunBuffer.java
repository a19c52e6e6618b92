package io.github.promkinesis.restore;

import java.util.Arrays;

/**
 * The lines a reading thread ordered since its last spill, as entries (see {@link Entries}) in one array that
 * is reused from run to run, so a long restore allocates it once. It grows as lines come, up to its share of the
 * budget, so a small restore takes little memory. Sorted ({@link Entries#compare}), it is a run: read in place as
 * the last run, or written to disk when full.
 */
final class RunBuffer {

    /**
     * Entries as small as a key and a short line (a Prometheus sample line has 150 bytes or more); more entries
     * than this fill the index (24 bytes an entry, a quarter of the arena) before the bytes.
     */
    private static final int SMALLEST_ENTRY = 96;
    private static final int FIRST_BYTES = 1 << 20;

    private final int maxBytes;
    private final int maxEntries;
    private byte[] arena;
    private int used;
    /** By entry number: where it starts, and its key's first 12 bytes as numbers, which decide most comparisons. */
    private int[] offsets = new int[0];
    private long[] first8 = new long[0];
    private int[] next4 = new int[0];
    /** Entry numbers in their order once sorted. */
    private int[] order = new int[0];
    private int[] scratch;
    private int count;

    RunBuffer(int maxBytes) {
        this.maxBytes = maxBytes;
        this.maxEntries = Math.max(16, maxBytes / SMALLEST_ENTRY);
        arena = new byte[Math.min(maxBytes, FIRST_BYTES)];
        sized(Math.min(maxEntries, FIRST_BYTES / SMALLEST_ENTRY));
    }

    /** False when the entry does not fit: spill, clear, then add it again (an entry alone always fits a run of its own). */
    boolean add(byte[] key, int keyLength, byte[] line, int lineOffset, int lineLength) {
        int size = Entries.HEADER + keyLength + lineLength;
        if (used + size > arena.length && arena.length < maxBytes) {
            arena = Arrays.copyOf(arena, (int) Math.min(maxBytes, Math.max(2L * arena.length, used + size)));
        }
        if (count == offsets.length && count < maxEntries) {
            sized(Math.min(maxEntries, 2 * count));
        }
        if (count == offsets.length || used + size > arena.length) {
            return false;
        }
        offsets[count] = used;
        first8[count] = Entries.first8(key, 0, keyLength);
        next4[count] = Entries.next4(key, 0, keyLength);
        order[count] = count;
        count++;
        used = Entries.put(arena, used, key, 0, keyLength, line, lineOffset, lineLength);
        return true;
    }

    private void sized(int entries) {
        offsets = Arrays.copyOf(offsets, entries);
        first8 = Arrays.copyOf(first8, entries);
        next4 = Arrays.copyOf(next4, entries);
        order = Arrays.copyOf(order, entries);
        scratch = new int[entries];
    }

    boolean isEmpty() {
        return count == 0;
    }

    void clear() {
        used = 0;
        count = 0;
    }

    /** A merge sort of the entry numbers: n log n whatever the input's order. */
    void sort() {
        int[] from = order;
        int[] to = scratch;
        for (int width = 1; width < count; width *= 2) {
            for (int low = 0; low < count; low += 2 * width) {
                int middle = Math.min(low + width, count);
                int high = Math.min(low + 2 * width, count);
                int i = low;
                int j = middle;
                for (int k = low; k < high; k++) {
                    to[k] = i < middle && (j >= high || compare(from[i], from[j]) <= 0) ? from[i++] : from[j++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        order = from;
        scratch = to;
    }

    /** {@link Entries#compare} of entries a and b: by the numbers when they differ, else by the bytes. */
    private int compare(int a, int b) {
        int byNumbers = Long.compareUnsigned(first8[a], first8[b]);
        if (byNumbers == 0) {
            byNumbers = Integer.compareUnsigned(next4[a], next4[b]);
        }
        return byNumbers != 0 ? byNumbers : compareBytes(offsets[a], offsets[b]);
    }

    private int compareBytes(int a, int b) {
        int aKey = a + Entries.HEADER;
        int bKey = b + Entries.HEADER;
        int aLine = aKey + Entries.keyLength(arena, a);
        int bLine = bKey + Entries.keyLength(arena, b);
        int byKey = Arrays.compareUnsigned(arena, aKey, aLine, arena, bKey, bLine);
        return byKey != 0 ? byKey : Arrays.compareUnsigned(arena, aLine, aLine + Entries.lineLength(arena, a),
                arena, bLine, bLine + Entries.lineLength(arena, b));
    }

    /** The entries in their order, as they are now. */
    Entries entries() {
        return new Entries.InBuffer() {
            private int index = -1;

            @Override
            public boolean next() {
                if (++index >= count) {
                    return false;
                }
                buffer = arena;
                at = offsets[order[index]];
                return true;
            }
        };
    }
}
