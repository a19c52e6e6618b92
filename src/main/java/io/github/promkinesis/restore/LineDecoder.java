package io.github.promkinesis.restore;

import io.github.promkinesis.lines.JsonLineReader;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code decode} step: each line read as the archive's JSON line ({@link JsonLineReader}, the reader beside
 * the writer). A float sample in the writer's own shape, most of the archive, is read only for its time and
 * series, what ordering needs; the rest of it when a later step asks ({@link LineCursor#line()}). A line that
 * cannot be read is reported with its object and line number, counted, and left out; the rest of the object
 * goes on.
 */
public final class LineDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(LineDecoder.class);

    /** Readers are not thread-safe, and keep recently seen series: one per reading thread, kept across objects. */
    private final ThreadLocal<JsonLineReader> readers = ThreadLocal.withInitial(JsonLineReader::new);
    private final RestoreStats stats;

    LineDecoder(RestoreStats stats) {
        this.stats = stats;
    }

    public LineCursor decode(LineCursor lines) {
        JsonLineReader threadReader = readers.get();
        return new LineCursor.Step(lines) {
            @Override
            public boolean next() throws IOException {
                while (from.next()) {
                    take();
                    reader = threadReader;
                    keyed = reader.key(bytes, offset, length);
                    if (keyed) {
                        time = reader.keyTime();
                        seriesHash = reader.keySeriesHash();
                        line = null;
                        return true;
                    }
                    try {
                        line = reader.read(bytes, offset, length);
                        time = line.time();
                        seriesHash = line.series().hashCode();
                        return true;
                    } catch (IllegalArgumentException e) {
                        stats.badLines.increment();
                        LOG.error("{}:{}: {}", object, number, e.getMessage());
                    }
                }
                return false;
            }
        };
    }
}
