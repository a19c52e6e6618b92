package io.github.promkinesis.restore;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import java.io.IOException;

/**
 * The lines of one archive object on their way through the read steps (lines → decode → select → order), pulled
 * one at a time: each step wraps the one before, so an object is one exchange, not one per line, and nothing
 * holds more than the line at hand. The bytes are the reader's again after {@link #next()}.
 */
public abstract class LineCursor {

    /** The object's name as reported (its file, s3://bucket/key or kinesis://stream/shard). */
    protected final String object;
    protected byte[] bytes;
    protected int offset;
    protected int length;
    protected long number;
    /** After the decode step: the line's time and series hash, and the line decoded, or how to decode it. */
    protected long time;
    protected int seriesHash;
    protected ArchivedLine line;
    protected JsonLineReader reader;
    /** Whether the reader read only the line's time and series ({@link JsonLineReader#key}) and still holds its walk. */
    protected boolean keyed;

    protected LineCursor(String object) {
        this.object = object;
    }

    /** Moves to the next line; false after the last. */
    public abstract boolean next() throws IOException;

    public String object() {
        return object;
    }

    /** The line decoded: a float sample the decode step read only for its time and series is read now. */
    public ArchivedLine line() {
        if (line == null) {
            line = reader.read(bytes, offset, length);
        }
        return line;
    }

    /** A step over another step's lines, passing on those it keeps. */
    abstract static class Step extends LineCursor {

        protected final LineCursor from;

        Step(LineCursor from) {
            super(from.object);
            this.from = from;
        }

        /** Takes the line {@code from} is at. */
        protected final void take() {
            bytes = from.bytes;
            offset = from.offset;
            length = from.length;
            number = from.number;
            time = from.time;
            seriesHash = from.seriesHash;
            line = from.line;
            reader = from.reader;
            keyed = from.keyed;
        }
    }
}
