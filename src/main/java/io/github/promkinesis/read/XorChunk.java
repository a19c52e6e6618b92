package io.github.promkinesis.read;

import java.util.Objects;

/**
 * Prometheus' float chunk, encoding XOR (tsdb/chunkenc/xor.go of Prometheus 2.42, in {@link ChunkBits}'
 * stream): Gorilla's compression with millisecond timestamps. The bytes are the ones Prometheus' appender writes
 * for the same samples, up to the empty last byte its bit stream keeps after whole bytes written on a byte
 * boundary; XorChunkTest compares them with the chunks of promtool's blocks.
 */
public final class XorChunk {

    /** Samples per chunk, as Prometheus cuts them. */
    public static final int MAX_SAMPLES = 120;

    /** The sample count is the chunk's first two bytes. */
    private static final int MAX_COUNT = 0xFFFF;

    private final ChunkBits out;

    private XorChunk(int capacity) {
        out = new ChunkBits(capacity);
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
        chunk.out.write(count, 16);
        long time = times[from];
        long first = Double.doubleToRawLongBits(values[from]);
        // the first time is signed: Go's binary.PutVarint, zigzag
        chunk.writeUvarint((time << 1) ^ (time >> 63));
        chunk.out.write(first, 64);
        ChunkBits.Xor value = new ChunkBits.Xor(first);
        long delta = 0;
        for (int i = from + 1; i < to; i++) {
            long newDelta = times[i] - time;
            if (i == from + 1) {
                chunk.writeUvarint(newDelta);
            } else {
                chunk.writeDeltaOfDelta(newDelta - delta);
            }
            value.write(chunk.out, Double.doubleToRawLongBits(values[i]));
            time = times[i];
            delta = newDelta;
        }
        return chunk.out.bytes();
    }

    /** Go's binary.PutUvarint, byte by byte into the bit stream as Prometheus writes it. */
    private void writeUvarint(long x) {
        while ((x & ~0x7FL) != 0) {
            out.write((x & 0x7F) | 0x80, 8);
            x >>>= 7;
        }
        out.write(x, 8);
    }

    /** Buckets of 0, 14, 17, 20 and 64 bits; a bucket of n bits holds -(2^(n-1) - 1) to 2^(n-1), as bitRange. */
    private void writeDeltaOfDelta(long dod) {
        if (dod == 0) {
            out.write(0, 1);
        } else if (dod >= -8191 && dod <= 8192) {
            out.write(0b10, 2);
            out.write(dod, 14);
        } else if (dod >= -65535 && dod <= 65536) {
            out.write(0b110, 3);
            out.write(dod, 17);
        } else if (dod >= -524287 && dod <= 524288) {
            out.write(0b1110, 4);
            out.write(dod, 20);
        } else {
            out.write(0b1111, 4);
            out.write(dod, 64);
        }
    }
}
