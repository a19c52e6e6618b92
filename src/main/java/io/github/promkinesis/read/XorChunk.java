package io.github.promkinesis.read;

import java.util.Arrays;
import java.util.Objects;

/**
 * Prometheus' float chunk, encoding XOR (tsdb/chunkenc/xor.go and bstream.go of Prometheus 2.42): Gorilla's
 * compression with millisecond timestamps. The bytes are the ones Prometheus' appender writes for the same samples,
 * up to the empty last byte its bit stream keeps after whole bytes written on a byte boundary; XorChunkTest
 * compares them with the chunks of promtool's blocks.
 */
public final class XorChunk {

    /** Samples per chunk, as Prometheus cuts them. */
    public static final int MAX_SAMPLES = 120;

    /** The sample count is the chunk's first two bytes. */
    private static final int MAX_COUNT = 0xFFFF;

    private byte[] buf;
    private int size;
    /** Bits written but not yet in {@link #buf}, right-aligned in {@link #pending}; fewer than 8 between writes. */
    private long pending;
    private int pendingBits;
    /** Whether the last write was of whole bytes: Prometheus' stream then ends in an empty byte when aligned. */
    private boolean wholeBytesLast;
    /** The XOR window of the value before: its leading and trailing zeros; leading -1 before the first. */
    private int leading = -1;
    private int trailing;

    private XorChunk(int capacity) {
        buf = new byte[capacity];
    }

    /**
     * Prometheus' XOR chunk of samples [from, to): times in ms ascending, values' raw bits kept (staleness marker
     * NaN 0x7ff0000000000002 exactly).
     */
    public static byte[] encode(long[] times, double[] values, int from, int to) {
        Objects.checkFromToIndex(from, to, times.length);
        Objects.checkFromToIndex(from, to, values.length);
        int count = to - from;
        if (count > MAX_COUNT) {
            throw new IllegalArgumentException("a chunk holds at most " + MAX_COUNT + " samples, not " + count);
        }
        if (count == 0) {
            // Prometheus' new chunk: the count only
            return new byte[2];
        }
        // counters take 1 to 4 bytes a sample; random doubles take up to 10 and grow the buffer
        XorChunk chunk = new XorChunk(32 + 4 * count);
        chunk.write(count, 16);
        long time = times[from];
        long value = Double.doubleToRawLongBits(values[from]);
        // the first time is signed: Go's binary.PutVarint, zigzag
        chunk.writeUvarint((time << 1) ^ (time >> 63));
        chunk.write(value, 64);
        long delta = 0;
        for (int i = from + 1; i < to; i++) {
            long newDelta = times[i] - time;
            if (i == from + 1) {
                chunk.writeUvarint(newDelta);
            } else {
                chunk.writeDeltaOfDelta(newDelta - delta);
            }
            long newValue = Double.doubleToRawLongBits(values[i]);
            chunk.writeXor(newValue ^ value);
            time = times[i];
            delta = newDelta;
            value = newValue;
        }
        return chunk.bytes();
    }

    /** Go's binary.PutUvarint, byte by byte into the bit stream as Prometheus writes it. */
    private void writeUvarint(long x) {
        while ((x & ~0x7FL) != 0) {
            write((x & 0x7F) | 0x80, 8);
            x >>>= 7;
        }
        write(x, 8);
    }

    /** Buckets of 0, 14, 17, 20 and 64 bits; a bucket of n bits holds -(2^(n-1) - 1) to 2^(n-1), as bitRange. */
    private void writeDeltaOfDelta(long dod) {
        if (dod == 0) {
            write(0, 1);
        } else if (dod >= -8191 && dod <= 8192) {
            write((0b10L << 14) | (dod & 0x3FFF), 16);
        } else if (dod >= -65535 && dod <= 65536) {
            write((0b110L << 17) | (dod & 0x1FFFF), 20);
        } else if (dod >= -524287 && dod <= 524288) {
            write((0b1110L << 20) | (dod & 0xFFFFF), 24);
        } else {
            write(0b1111, 4);
            write(dod, 64);
        }
    }

    /** xorWrite: the XOR with the value before, in that value's window when it fits. */
    private void writeXor(long xor) {
        if (xor == 0) {
            write(0, 1);
            return;
        }
        // 5 bits hold at most 31 leading zeros
        int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int newTrailing = Long.numberOfTrailingZeros(xor);
        if (leading >= 0 && newLeading >= leading && newTrailing >= trailing) {
            write(0b10, 2);
            write(xor >>> trailing, 64 - leading - trailing);
            return;
        }
        leading = newLeading;
        trailing = newTrailing;
        int significant = 64 - newLeading - newTrailing;
        // 64 significant bits are written as 0 in the 6 bits: 0 never occurs, as a zero XOR has no window
        write((0b11L << 11) | (newLeading << 6) | (significant & 0x3F), 13);
        write(xor >>> newTrailing, significant);
    }

    /** Writes the {@code bits} (1 to 64) low bits of {@code value}, the highest first. */
    private void write(long value, int bits) {
        if (bits > 56) {
            // the accumulator holds up to 7 bits between writes: 57 more would not fit in its 64
            write(value >>> 32, bits - 32);
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
        wholeBytesLast = (bits & 7) == 0;
    }

    /**
     * The stream as Prometheus' bstream leaves it: the last byte's unused bits zero, and an empty byte after whole
     * bytes written on a byte boundary (bstream.writeByte appends the byte for the bits after it).
     */
    private byte[] bytes() {
        int length = size + (pendingBits > 0 || wholeBytesLast ? 1 : 0);
        byte[] bytes = Arrays.copyOf(buf, length);
        if (pendingBits > 0) {
            bytes[size] = (byte) (pending << (8 - pendingBits));
        }
        return bytes;
    }
}
