package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code lines} step: an object's bytes split into lines as they stream in, never the whole object in
 * memory. A truncated gzip object is reported as a bad object after the lines it held; a last line without its
 * newline and an empty object are reported too.
 */
public final class ArchiveLines {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLines.class);
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final ArchiveObjects archive;
    private final RestoreStats stats;

    ArchiveLines(ArchiveObjects archive, RestoreStats stats) {
        this.archive = archive;
        this.stats = stats;
    }

    public LineCursor read(InputStream body, Exchange exchange) {
        return new Split(archive.where(exchange.getProperty(RestoreCommand.OBJECT, String.class)), body);
    }

    private final class Split extends LineCursor {

        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int start;
        private int end;
        private boolean ended;
        /** A line cut by the end of a chunk, completed from the next. */
        private byte[] partial = new byte[8192];
        private int partialLength;

        Split(String object, InputStream in) {
            super(object);
            this.in = in;
        }

        @Override
        public boolean next() throws IOException {
            while (!ended) {
                int newline = indexOf(chunk, start, end);
                if (newline >= 0) {
                    number++;
                    stats.lines.increment();
                    if (partialLength == 0) {
                        bytes = chunk;
                        offset = start;
                        length = newline - start;
                    } else {
                        partial = append(partial, partialLength, chunk, start, newline);
                        bytes = partial;
                        offset = 0;
                        length = partialLength + newline - start;
                        partialLength = 0;
                    }
                    start = newline + 1;
                    return true;
                }
                partial = append(partial, partialLength, chunk, start, end);
                partialLength += end - start;
                start = 0;
                end = fill();
            }
            return false;
        }

        /** The next chunk's length; at the end of the object (or where it breaks off), 0, and what is wrong is said. */
        private int fill() throws IOException {
            int n;
            try {
                n = in.read(chunk);
            } catch (IOException e) {
                stats.badObjects.increment();
                LOG.error("{}: unreadable after line {}: {}", object, number, e.getMessage());
                n = -1;
            }
            if (n > 0) {
                return n;
            }
            ended = true;
            in.close();
            if (partialLength > 0) {
                stats.badLines.increment();
                LOG.error("{}:{}: the last line has no newline: cut off", object, number + 1);
            }
            if (number == 0 && partialLength == 0 && !archive.mayBeEmpty()) {
                stats.badObjects.increment();
                LOG.error("{}: empty object", object);
            }
            return 0;
        }
    }

    /** The first newline in bytes[from, to), or -1; eight bytes a step (a zero byte of word ^ newlines is one). */
    static int indexOf(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) WORDS.get(bytes, i) ^ NEWLINES;
            long zeros = (word - LOW_BITS) & ~word & HIGH_BITS;
            if (zeros != 0) {
                return i + Long.numberOfTrailingZeros(zeros) / 8;
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** partial with bytes[from, to) after its first length bytes, grown when needed. */
    private static byte[] append(byte[] partial, int length, byte[] bytes, int from, int to) {
        byte[] grown = length + to - from <= partial.length ? partial
                : Arrays.copyOf(partial, Math.max(partial.length * 2, length + to - from));
        System.arraycopy(bytes, from, grown, length, to - from);
        return grown;
    }
}
