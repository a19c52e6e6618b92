package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.ArchivedLine;

/** Where the samples read from the archive go: a remote-write receiver, or an OpenMetrics file. */
interface SampleSink {

    void add(ArchivedLine sample) throws Exception;

    /** After each object: everything added so far is written (accepted by the receiver, or held for the file). */
    void flush() throws Exception;
}
