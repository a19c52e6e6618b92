package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one archive object line by line, streaming, and hands each line to the sink, which decodes and filters
 * it (reporting a line that cannot be read with the object's name and line number; the rest of the object is
 * still restored); then waits until the object's requests were accepted. A truncated gzip object is reported as
 * a bad object after what it held was restored.
 */
public final class ArchiveLines {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLines.class);

    private final ArchiveObjects archive;
    private final SampleSink requests;
    private final RestoreStats stats;

    ArchiveLines(ArchiveObjects archive, SampleSink requests, RestoreStats stats) {
        this.archive = archive;
        this.requests = requests;
        this.stats = stats;
    }

    public void read(InputStream body, Exchange exchange) throws Exception {
        String object = archive.where(exchange.getProperty(RestoreCommand.OBJECT, String.class));
        long lineNumber = 0;
        byte[] partial = new byte[8192]; // a line cut by the end of a chunk, read when its end arrives
        int length = 0;
        try (InputStream in = body) {
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                stats.bytes.add(n);
                int start = 0;
                for (int newline; (newline = indexOf(chunk, start, n)) >= 0; start = newline + 1) {
                    lineNumber++;
                    if (length == 0) {
                        take(object, lineNumber, chunk, start, newline - start);
                    } else {
                        partial = append(partial, length, chunk, start, newline);
                        take(object, lineNumber, partial, 0, length + newline - start);
                        length = 0;
                    }
                }
                partial = append(partial, length, chunk, start, n);
                length += n - start;
            }
        } catch (IOException e) {
            stats.badObjects.increment();
            LOG.error("{}: unreadable after line {}: {}", object, lineNumber, e.getMessage());
        }
        if (length > 0) {
            stats.badLines.increment();
            LOG.error("{}:{}: the last line has no newline: cut off", object, lineNumber + 1);
        }
        if (lineNumber == 0 && length == 0 && !archive.mayBeEmpty()) {
            stats.badObjects.increment();
            LOG.error("{}: empty object", object);
        }
        requests.flush();
        stats.objectsDone.increment();
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
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

    private void take(String object, long lineNumber, byte[] line, int offset, int length) throws Exception {
        stats.lines.increment();
        requests.add(object, lineNumber, line, offset, length);
    }
}
