package io.github.promkinesis.read;

import java.util.Arrays;

/**
 * The bit stream of Prometheus' chunks (tsdb/chunkenc/bstream.go) with the number codings its chunks share: the
 * varbit integers of histogram chunks (varbit.go) and Gorilla's XOR of a float with the one before (xorWrite).
 * A write that can end a chunk is one {@code writeBits} or {@code writeBit} of Prometheus' code, for the way the
 * stream ends depends on the last: after whole bytes on a byte boundary it ends in an empty byte.
 */
final class ChunkBits {

    private byte[] buf;
    private int size;
    /** Bits written but not yet in {@link #buf}, right-aligned in {@link #pending}; fewer than 8 between writes. */
    private long pending;
    private int pendingBits;
    /** Whether the last write was of whole bytes: Prometheus' stream then ends in an empty byte when aligned. */
    private boolean wholeBytesLast;

    ChunkBits(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    /** Writes the {@code bits} (1 to 64) low bits of {@code value}, the highest first: bstream.writeBits. */
    void write(long value, int bits) {
        put(value, bits);
        // writeBits ends in writeByte calls when the count is a multiple of 8, else in writeBit calls
        wholeBytesLast = (bits & 7) == 0;
    }

    private void put(long value, int bits) {
        if (bits > 56) {
            // the accumulator holds up to 7 bits between writes: 57 more would not fit in its 64
            put(value >>> 32, bits - 32);
            value &= 0xFFFFFFFFL;
            bits = 32;
        }
        if (size + 8 > buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        pending = (pending << bits) | (value & (-1L >>> (64 - bits)));
        pendingBits += bits;
        while (pendingBits >= 8) {
            pendingBits -= 8;
            buf[size++] = (byte) (pending >>> pendingBits);
        }
    }

    /** putVarbitInt: 0 in a bit, else a prefix of ones naming the width (3 to 64 bits) of the two's complement. */
    void writeVarbitInt(long value) {
        writeVarbit(value, true);
    }

    /** putVarbitUint: the widths of {@link #writeVarbitInt}, for values 0 to 2^width - 1. */
    void writeVarbitUint(long value) {
        writeVarbit(value, false);
    }

    private void writeVarbit(long value, boolean signed) {
        if (value == 0) {
            write(0, 1);
            return;
        }
        int width = varbitWidth(value, signed);
        writeVarbitPrefix(width);
        write(value, width);
    }

    private static final int[] VARBIT_WIDTHS = {3, 6, 9, 12, 18, 25, 56};

    /** A signed width of n bits holds -(2^(n-1) - 1) to 2^(n-1), as varbit.go's bitRange. */
    private static int varbitWidth(long value, boolean signed) {
        for (int width : VARBIT_WIDTHS) {
            boolean fits = signed ? value >= -((1L << (width - 1)) - 1) && value <= 1L << (width - 1)
                    : Long.numberOfLeadingZeros(value) >= 64 - width;
            if (fits) {
                return width;
            }
        }
        return 64;
    }

    /** 10, 110, ... 11111110 before 3 to 56 bits; 11111111 before 64. */
    private void writeVarbitPrefix(int width) {
        int index = width == 64 ? VARBIT_WIDTHS.length : Arrays.binarySearch(VARBIT_WIDTHS, width);
        int ones = index + 1;
        write(ones == 8 ? 0xFF : ((1L << ones) - 1) << 1, ones == 8 ? 8 : ones + 1);
    }

    /**
     * The stream as Prometheus' bstream leaves it: the last byte's unused bits zero, and an empty byte after whole
     * bytes written on a byte boundary (bstream.writeByte appends the byte for the bits after it).
     */
    byte[] bytes() {
        int length = size + (pendingBits > 0 || wholeBytesLast ? 1 : 0);
        byte[] bytes = Arrays.copyOf(buf, length);
        if (pendingBits > 0) {
            bytes[size] = (byte) (pending << (8 - pendingBits));
        }
        return bytes;
    }

    /** A float written as its XOR with the one before, in the window of leading and trailing zeros kept here. */
    static final class Xor {

        private long bits;
        /** The window of the XOR before: its leading and trailing zeros; leading -1 while there was none. */
        private int leading = -1;
        private int trailing;

        /** After the first value, written whole. */
        Xor(long firstBits) {
            bits = firstBits;
        }

        /** xorWrite: the XOR with the value before, in that value's window when it fits. */
        void write(ChunkBits out, long newBits) {
            long xor = newBits ^ bits;
            bits = newBits;
            if (xor == 0) {
                out.write(0, 1);
                return;
            }
            // 5 bits hold at most 31 leading zeros
            int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
            int newTrailing = Long.numberOfTrailingZeros(xor);
            if (leading >= 0 && newLeading >= leading && newTrailing >= trailing) {
                out.write(0b10, 2);
                out.write(xor >>> trailing, 64 - leading - trailing);
                return;
            }
            leading = newLeading;
            trailing = newTrailing;
            int significant = 64 - newLeading - newTrailing;
            // 64 significant bits are written as 0 in the 6 bits: 0 never occurs, as a zero XOR has no window
            out.write((0b11L << 11) | (newLeading << 6) | (significant & 0x3F), 13);
            out.write(xor >>> newTrailing, significant);
        }
    }
}
