package io.github.promkinesis.restore;

import java.nio.charset.StandardCharsets;

/**
 * The order lines leave the order step in, as a key compared byte by byte. Lines with equal keys come out side
 * by side, so a duplicate is found next to its twin. Times are big-endian with the sign bit flipped, so they
 * compare as numbers. Every key is a head (the metric name, or nothing) then a tail of {@link #TAIL} bytes (series
 * hash and time); no head is the start of another, so keys compare as their heads, then their tails.
 */
public enum SortOrder {

    /** Time, then series: every series advancing together, as Prometheus' own remote write sends them. */
    TIME {
        @Override
        int key(LineCursor line, byte[] key) {
            putLong(key, 0, line.time ^ Long.MIN_VALUE);
            putInt(key, 8, line.seriesHash);
            return 12;
        }

        @Override
        long time(byte[] key, int offset, int length) {
            return getLong(key, offset) ^ Long.MIN_VALUE;
        }
    },

    /** Metric name, series, time: each metric family's lines together, each series in time order (OpenMetrics). */
    FAMILY {
        @Override
        int key(LineCursor line, byte[] key) {
            byte[] name = nameBytes(line);
            int from = nameStart(line);
            int length = Math.min(nameEnd(line, name) - from, MAX_NAME);
            key[0] = (byte) (length >>> 8);
            key[1] = (byte) length;
            System.arraycopy(name, from, key, 2, length);
            putInt(key, 2 + length, line.seriesHash);
            putLong(key, 6 + length, line.time ^ Long.MIN_VALUE);
            return 14 + length;
        }

        @Override
        long time(byte[] key, int offset, int length) {
            return getLong(key, offset + length - 8) ^ Long.MIN_VALUE;
        }
    },

    /**
     * Metric name in byte order (what Parquet's statistics compare), series, time: a compacted day's rows, so
     * each row group holds a narrow range of names. A name byte 0 is written 0 1 and the name ends with 0 0, so a
     * name sorts before every longer name it begins.
     */
    NAME {
        @Override
        int key(LineCursor line, byte[] key) {
            byte[] name = nameBytes(line);
            int at = 0;
            for (int i = nameStart(line), end = nameEnd(line, name); i < end && at < MAX_NAME; i++) {
                key[at++] = name[i];
                if (name[i] == 0) {
                    key[at++] = 1;
                }
            }
            key[at++] = 0;
            key[at++] = 0;
            putInt(key, at, line.seriesHash);
            putLong(key, at + 4, line.time ^ Long.MIN_VALUE);
            return at + 12;
        }

        @Override
        long time(byte[] key, int offset, int length) {
            return getLong(key, offset + length - 8) ^ Long.MIN_VALUE;
        }
    };

    /** What follows a key's head: the series' hash and the time, in some order. */
    static final int TAIL = 12;
    /** Longer names share a key by their first bytes: their families may then interleave, each series still in order. */
    static final int MAX_NAME = 60_000;
    /** A key buffer large enough for any key. */
    static final int MAX_KEY = MAX_NAME + 16;

    /**
     * The metric name's UTF-8 bytes: in the line itself when the decode step read only its key (printable ASCII
     * without escapes, as it is), else encoded from the line read whole; from nameStart to nameEnd.
     */
    private static byte[] nameBytes(LineCursor line) {
        return line.keyed ? line.bytes : line.line().name().getBytes(StandardCharsets.UTF_8);
    }

    private static int nameStart(LineCursor line) {
        return line.keyed ? line.reader.keyNameStart() : 0;
    }

    private static int nameEnd(LineCursor line, byte[] name) {
        return line.keyed ? line.reader.keyNameEnd() : name.length;
    }

    /** Writes the line's key into {@code key}; its length. */
    abstract int key(LineCursor line, byte[] key);

    abstract long time(byte[] key, int offset, int length);

    /** The series' hash, where every order keeps it: 8 bytes before the time in FAMILY and NAME, after it in TIME. */
    int seriesHash(byte[] key, int offset, int length) {
        return getInt(key, this == TIME ? offset + 8 : offset + length - 12);
    }

    private static void putLong(byte[] to, int at, long value) {
        putInt(to, at, (int) (value >>> 32));
        putInt(to, at + 4, (int) value);
    }

    private static void putInt(byte[] to, int at, int value) {
        to[at] = (byte) (value >>> 24);
        to[at + 1] = (byte) (value >>> 16);
        to[at + 2] = (byte) (value >>> 8);
        to[at + 3] = (byte) value;
    }

    static long getLong(byte[] from, int at) {
        return (long) getInt(from, at) << 32 | getInt(from, at + 4) & 0xffffffffL;
    }

    static int getInt(byte[] from, int at) {
        return (from[at] & 0xff) << 24 | (from[at + 1] & 0xff) << 16 | (from[at + 2] & 0xff) << 8 | from[at + 3] & 0xff;
    }
}
