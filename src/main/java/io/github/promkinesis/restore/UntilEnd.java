package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * A stream whose {@code available()} says whether anything is left, waiting for it if need be. GZIPInputStream
 * reads the next member of a concatenation only when the stream under it has bytes available; a network stream
 * (S3, Kinesis) can have none at that moment, and the rest of the object would be taken for its end.
 */
final class UntilEnd extends PushbackInputStream {

    UntilEnd(InputStream in) {
        super(in, 1);
    }

    @Override
    public int available() throws IOException {
        int ready = super.available();
        if (ready > 0) {
            return ready;
        }
        int next = read();
        if (next < 0) {
            return 0;
        }
        unread(next);
        return 1;
    }
}
