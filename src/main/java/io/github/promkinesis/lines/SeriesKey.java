package io.github.promkinesis.lines;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.github.promkinesis.protocol.prompb.Label;
import java.util.Arrays;
import java.util.List;

/**
 * A series' identity read back from the archive: its labels, sorted, as UTF-8 name and value bytes, each
 * preceded by its length (a value may hold any byte). The same series gives the same key whichever way its line
 * was written or read.
 */
public final class SeriesKey {

    private final byte[] bytes;
    private final int hash;

    private SeriesKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** 31 to the powers 0 to 7, and 8: what {@link #hash} multiplies by, eight bytes at once. */
    private static final int[] POWERS = {1, 31, 961, 29_791, 923_521, 28_629_151, 887_503_681, 1_742_810_335};
    private static final int POWER_8 = 31 * 1_742_810_335;

    /** The hash of a key with no labels; {@link #hash} continues it label by label. */
    static final int EMPTY_HASH = 1;

    /**
     * The hash of a key continued by one label name or value, given as its UTF-8 bytes: what hashCode() is
     * for the whole key, worked out without building it.
     */
    static int hash(int hash, byte[] text, int from, int to) {
        int length = to - from;
        for (; length >= 0x80; length >>>= 7) {
            hash = 31 * hash + (byte) (length | 0x80);
        }
        hash = 31 * hash + (byte) length;
        int i = from;
        for (; i + 8 <= to; i += 8) { // the same sum, eight bytes a step: a shorter chain of multiplications
            hash = POWER_8 * hash + POWERS[7] * text[i] + POWERS[6] * text[i + 1] + POWERS[5] * text[i + 2]
                    + POWERS[4] * text[i + 3] + POWERS[3] * text[i + 4] + POWERS[2] * text[i + 5]
                    + 31 * text[i + 6] + text[i + 7];
        }
        for (; i < to; i++) {
            hash = 31 * hash + text[i];
        }
        return hash;
    }

    /** The key of labels sorted by name. */
    public static SeriesKey of(List<Label> labels) {
        int size = 0;
        for (Label label : labels) {
            size += sized(label.getNameBytes()) + sized(label.getValueBytes());
        }
        byte[] bytes = new byte[size];
        int at = 0;
        for (Label label : labels) {
            at = copy(label.getNameBytes(), bytes, at);
            at = copy(label.getValueBytes(), bytes, at);
        }
        return new SeriesKey(bytes);
    }

    private static int sized(ByteString text) {
        return CodedOutputStream.computeUInt32SizeNoTag(text.size()) + text.size();
    }

    private static int copy(ByteString text, byte[] bytes, int at) {
        for (int length = text.size(); ; length >>>= 7) { // a varint, as protobuf writes lengths
            if (length < 0x80) {
                bytes[at++] = (byte) length;
                break;
            }
            bytes[at++] = (byte) (length | 0x80);
        }
        text.copyTo(bytes, at);
        return at + text.size(); // the same bytes that hash(...) walks
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeriesKey key && key.hash == hash && Arrays.equals(key.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
