package io.github.promkinesis.lines;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array without ByteArrayOutputStream's locking, with number writers that allocate nothing. */
public final class ByteSink {

    private static final byte[] LONG_MIN = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    public ByteSink(int capacity) {
        bytes = new byte[Math.max(capacity, 16)];
    }

    public void write(byte[] source) {
        write(source, 0, source.length);
    }

    public void write(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    public void write(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    /** Text known to be ASCII (such as Double.toString's), copied in bulk: compact strings hold these bytes. */
    @SuppressWarnings("deprecation") // the one String method that copies Latin-1 bytes without a new array
    public void writeLatin1(String text) {
        ensure(text.length());
        text.getBytes(0, text.length(), bytes, length);
        length += text.length();
    }

    /** Appends a copy of bytes this sink already holds, from start to end (exclusive). */
    public void copyOwn(int start, int end) {
        ensure(end - start);
        System.arraycopy(bytes, start, bytes, length, end - start);
        length += end - start;
    }

    /** The decimal digits of value, as Long.toString writes them. */
    public void writeLong(long value) {
        if (value == Long.MIN_VALUE) {
            write(LONG_MIN);
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    /** Empties the sink for reuse, keeping its array. */
    public void clear() {
        length = 0;
    }

    public int length() {
        return length;
    }

    /** The array being written to; valid up to length(). */
    public byte[] array() {
        return bytes;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
