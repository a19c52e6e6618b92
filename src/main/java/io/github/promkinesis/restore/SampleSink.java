package io.github.promkinesis.restore;

/** Where the lines read from the archive go: a remote-write receiver, or an OpenMetrics file. */
interface SampleSink {

    /** One line of the object, without its newline; the bytes are the reader's again when this returns. */
    void add(String object, long lineNumber, byte[] bytes, int offset, int length) throws Exception;

    /** After each object: everything added so far is written (accepted by the receiver, or held for the file). */
    void flush() throws Exception;
}
