package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.ArchivedLine;
import io.github.promkinesis.encoding.JsonLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one archive object line by line, streaming: each JSON line decoded, kept or left out by the filter, and
 * its sample grouped into requests; then waits until the object's requests were accepted. A line that cannot be
 * read is reported with the object's name and line number, and the rest of the object is still restored; a
 * truncated gzip object is reported as a bad object after what it held was restored.
 */
public final class ArchiveLines {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveLines.class);

    private final JsonLineReader reader = new JsonLineReader();
    private final ArchiveObjects archive;
    private final ArchiveFilter filter;
    private final SampleSink requests;
    private final RestoreStats stats;

    ArchiveLines(ArchiveObjects archive, ArchiveFilter filter, SampleSink requests, RestoreStats stats) {
        this.archive = archive;
        this.filter = filter;
        this.requests = requests;
        this.stats = stats;
    }

    public void read(InputStream body, Exchange exchange) throws Exception {
        String object = archive.where(exchange.getProperty(RestoreCommand.OBJECT, String.class));
        long lineNumber = 0;
        byte[] line = new byte[8192];
        int length = 0;
        try (InputStream in = body) {
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                stats.bytes.add(n);
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        lineNumber++;
                        take(object, lineNumber, line, length);
                        length = 0;
                    } else {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[length++] = chunk[i];
                    }
                }
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

    private void take(String object, long lineNumber, byte[] line, int length) throws Exception {
        stats.lines.increment();
        ArchivedLine read;
        try {
            read = reader.read(line, 0, length);
        } catch (IllegalArgumentException e) {
            stats.badLines.increment();
            LOG.error("{}:{}: {}", object, lineNumber, e.getMessage());
            return;
        }
        if (!filter.keeps(read)) {
            stats.filteredOut.increment();
        } else {
            requests.add(read);
        }
    }
}
