package io.github.promkinesis.protocol;

/** A snappy block declares a decompressed size over the configured limit; refused before decompressing. */
public class DecompressedSizeLimitException extends IllegalArgumentException {
    public DecompressedSizeLimitException(long declaredBytes, long limitBytes) {
        super("the snappy block declares " + declaredBytes + " decompressed bytes, over the limit of "
                + limitBytes + " (MAX_DECOMPRESSED_BYTES)");
    }
}
