package io.github.promkinesis.restore;

import java.util.Arrays;

/**
 * The lines a reading thread ordered since its last spill, as entries (see {@link Entries}) in one array that
 * is reused from run to run, so a long restore allocates it once. It grows as lines come, up to its share of the
 * budget, so a small restore takes little memory. Sorted ({@link Entries#compare}), it is a run: read in place as
 * the last run, or written to disk when full. The sort compares numbers, not the entries' bytes far apart in the
 * array: a key's head (the metric name, see {@link SortOrder#TAIL}) by its rank among the buffer's few distinct
 * heads, then its tail's 12 bytes.
 */
final class RunBuffer {

    /**
     * Entries as small as a key and a short line (a Prometheus sample line has 150 bytes or more); more entries
     * than this fill the index (28 bytes an entry, under a third of the arena) before the bytes.
     */
    private static final int SMALLEST_ENTRY = 96;
    private static final int FIRST_BYTES = 1 << 20;

    private final int maxBytes;
    private final int maxEntries;
    private byte[] arena;
    private int used;
    /**
     * By entry number: where it starts, and its key as two numbers that decide nearly every comparison: high, its
     * head's number (its rank once sorted) and the tail's first 4 bytes; low, the tail's last 8.
     */
    private int[] offsets = new int[0];
    private long[] high = new long[0];
    private long[] low = new long[0];
    /** Entry numbers in their order once sorted. */
    private int[] order = new int[0];
    private int[] scratch;
    private int count;
    /** The distinct heads, by number: an entry with it; and a hash table of their numbers, plus 1 (0: empty). */
    private int[] heads = new int[16];
    private int headCount;
    private int[] headTable = new int[64];

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
        int tail = keyLength - SortOrder.TAIL;
        low[count] = SortOrder.getLong(key, tail + 4);
        order[count] = count;
        used = Entries.put(arena, used, key, 0, keyLength, line, lineOffset, lineLength);
        high[count] = (long) head(count, tail) << 32 | SortOrder.getInt(key, tail) & 0xffffffffL;
        count++;
        return true;
    }

    /** The number of entry {@code entry}'s head, its first {@code length} key bytes: a new one if none had it. */
    private int head(int entry, int length) {
        int at = offsets[entry] + Entries.HEADER;
        int mask = headTable.length - 1;
        for (int slot = hash(at, length) & mask; ; slot = slot + 1 & mask) {
            int number = headTable[slot] - 1;
            if (number < 0) {
                if (headCount == heads.length) {
                    heads = Arrays.copyOf(heads, 2 * headCount);
                }
                heads[headCount] = entry;
                headTable[slot] = ++headCount;
                if (2 * headCount > headTable.length) {
                    rehash();
                }
                return headCount - 1;
            }
            int other = offsets[heads[number]];
            if (Entries.keyLength(arena, other) - SortOrder.TAIL == length
                    && Arrays.equals(arena, other + Entries.HEADER, other + Entries.HEADER + length, arena, at, at + length)) {
                return number;
            }
        }
    }

    private int hash(int at, int length) {
        int hash = length;
        for (int i = at; i < at + length; i++) {
            hash = 31 * hash + arena[i];
        }
        return hash ^ hash >>> 16;
    }

    private void rehash() {
        headTable = new int[2 * headTable.length];
        int mask = headTable.length - 1;
        for (int number = 0; number < headCount; number++) {
            int entry = offsets[heads[number]];
            int slot = hash(entry + Entries.HEADER, Entries.keyLength(arena, entry) - SortOrder.TAIL) & mask;
            while (headTable[slot] != 0) {
                slot = slot + 1 & mask;
            }
            headTable[slot] = number + 1;
        }
    }

    private void sized(int entries) {
        offsets = Arrays.copyOf(offsets, entries);
        high = Arrays.copyOf(high, entries);
        low = Arrays.copyOf(low, entries);
        order = Arrays.copyOf(order, entries);
        scratch = new int[entries];
    }

    boolean isEmpty() {
        return count == 0;
    }

    void clear() {
        used = 0;
        count = 0;
        headCount = 0;
        Arrays.fill(headTable, 0);
    }

    /** A merge sort of the entry numbers: n log n whatever the input's order. Once between clears. */
    void sort() {
        rankHeads();
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

    /** Each entry's head number becomes its head's rank: heads, never one the start of another, order keys first. */
    private void rankHeads() {
        Integer[] byKey = new Integer[headCount];
        Arrays.setAll(byKey, number -> number);
        Arrays.sort(byKey, (a, b) -> {
            int aKey = offsets[heads[a]] + Entries.HEADER;
            int bKey = offsets[heads[b]] + Entries.HEADER;
            return Arrays.compareUnsigned(arena, aKey, aKey + Entries.keyLength(arena, offsets[heads[a]]) - SortOrder.TAIL,
                    arena, bKey, bKey + Entries.keyLength(arena, offsets[heads[b]]) - SortOrder.TAIL);
        });
        int[] rank = new int[headCount];
        for (int i = 0; i < headCount; i++) {
            rank[byKey[i]] = i;
        }
        for (int i = 0; i < count; i++) {
            high[i] = (long) rank[(int) (high[i] >>> 32)] << 32 | high[i] & 0xffffffffL;
        }
    }

    /** {@link Entries#compare} of entries a and b: by the numbers when they differ, else by the bytes. */
    private int compare(int a, int b) {
        int byNumbers = Long.compareUnsigned(high[a], high[b]);
        if (byNumbers == 0) {
            byNumbers = Long.compareUnsigned(low[a], low[b]);
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

    /**
     * The entries in their order, as they are now. Sorted, they are all over the arena, and each was a wait for
     * memory while a run was written. So every {@link #AHEAD} entries, the
     * next AHEAD are read a byte a cache line over their first 384 bytes (a sample line and its key take 200 to
     * 400): loads the processor makes at once, not one wait after another.
     */
    Entries entries() {
        return new Entries.InBuffer() {
            private int index = -1;

            @Override
            public boolean next() {
                if (++index >= count) {
                    return false;
                }
                if (index % AHEAD == 0) {
                    loaded += load(index + AHEAD, Math.min(count, index + 2 * AHEAD));
                }
                buffer = arena;
                at = offsets[order[index]];
                return true;
            }
        };
    }

    private static final int AHEAD = 8;
    /** What the loads ahead read, kept so that they are not left out as unused. */
    private int loaded;

    private int load(int from, int to) {
        int sum = 0;
        int last = used - 1;
        for (int i = from; i < to; i++) { // six loads written out: a loop of them made fewer at once
            int start = offsets[order[i]];
            sum += arena[start] + arena[Math.min(start + 64, last)] + arena[Math.min(start + 128, last)]
                    + arena[Math.min(start + 192, last)] + arena[Math.min(start + 256, last)]
                    + arena[Math.min(start + 320, last)];
        }
        return sum;
    }
}
