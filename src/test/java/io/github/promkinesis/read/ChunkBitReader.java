package io.github.promkinesis.read;

import java.util.Set;

/**
 * Prometheus' chunks read bit by bit as its bstreamReader reads them, with the number codings of its chunks:
 * Go's uvarint (XOR chunks' first times), varbit integers (histogram chunks) and the XOR of a float with the one
 * before (xorRead), written independently of the encoders under test.
 */
final class ChunkBitReader {

    private final byte[] bytes;
    private int position;

    /** From bit {@code start}: past the chunk's header. */
    ChunkBitReader(byte[] bytes, int start) {
        this.bytes = bytes;
        this.position = start;
    }

    int position() {
        return position;
    }

    long read(int bits) {
        long value = 0;
        for (int i = 0; i < bits; i++, position++) {
            value = (value << 1) | ((bytes[position >>> 3] >>> (7 - (position & 7))) & 1);
        }
        return value;
    }

    long uvarint() {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            long b = read(8);
            value |= (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
    }

    /** readVarbitInt: up to eight ones name the width; its two's complement, 2^(width-1) read as positive. */
    long varbitInt() {
        int width = varbitWidth();
        long bits = width == 0 ? 0 : read(width);
        return width > 0 && width < 64 && bits > 1L << (width - 1) ? bits - (1L << width) : bits;
    }

    /** readVarbitUint: the same widths, unsigned. */
    long varbitUint() {
        int width = varbitWidth();
        return width == 0 ? 0 : read(width);
    }

    private int varbitWidth() {
        int ones = 0;
        while (ones < 8 && read(1) == 1) {
            ones++;
        }
        return new int[] {0, 3, 6, 9, 12, 18, 25, 56, 64}[ones];
    }

    /**
     * xorRead: the value after {@code before}, the XOR window ({leading, trailing}) kept in {@code window}; each
     * branch of the format it reads noted in {@code cases}.
     */
    long xor(long before, int[] window, Set<String> cases) {
        if (read(1) == 0) {
            cases.add("value unchanged");
            return before;
        }
        if (read(1) == 0) {
            cases.add("value in the window before");
            return before ^ read(64 - window[0] - window[1]) << window[1];
        }
        int leading = (int) read(5);
        int significant = (int) read(6);
        significant = significant == 0 ? 64 : significant;
        window[0] = leading;
        window[1] = 64 - leading - significant;
        long xor = read(significant);
        cases.add("value in a new window");
        if (significant == 64) {
            cases.add("64 significant bits");
        }
        if (leading == 31 && xor >>> (significant - 1) == 0) {
            cases.add("leading zeros capped at 31");
        }
        return before ^ xor << window[1];
    }
}
