package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.ArchivedLine;
import io.github.promkinesis.encoding.JsonLineReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line of an archive object decoded and filtered: the sample, or null when --start/--end/--match leave it
 * out or it cannot be read (reported with the object's name and line number). Counted either way. One per
 * thread that decodes.
 */
final class LineDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(LineDecoder.class);

    private final JsonLineReader reader = new JsonLineReader();
    private final ArchiveFilter filter;
    private final RestoreStats stats;

    LineDecoder(ArchiveFilter filter, RestoreStats stats) {
        this.filter = filter;
        this.stats = stats;
    }

    ArchivedLine decode(String object, long lineNumber, byte[] bytes, int offset, int length) {
        ArchivedLine read;
        try {
            read = reader.read(bytes, offset, length);
        } catch (IllegalArgumentException e) {
            stats.badLines.increment();
            LOG.error("{}:{}: {}", object, lineNumber, e.getMessage());
            return null;
        }
        if (!filter.keeps(read)) {
            stats.filteredOut.increment();
            return null;
        }
        return read;
    }

    /** See {@link JsonLineReader#seriesHash}. */
    int seriesHash(byte[] bytes, int offset, int length) {
        return reader.seriesHash(bytes, offset, length);
    }
}
