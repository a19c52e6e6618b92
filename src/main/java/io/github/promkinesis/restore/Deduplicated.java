package io.github.promkinesis.restore;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merged entries with each line once: Kinesis is at-least-once (a retried PutRecords stores a record twice) and
 * Prometheus resends after an outage, so the archive holds twins, which the sort key puts side by side. A twin
 * is the same line again, or the same sample of the same series and time with another value (a receiver refuses
 * that): the first in the merge's order is kept, the same on every run, the other counted, and the first few
 * reported. Lines that share a key but not a series (a sample and an exemplar at one time, two series of one
 * hash) all stay.
 */
final class Deduplicated implements Entries {

    private static final Logger LOG = LoggerFactory.getLogger(Deduplicated.class);
    private static final int REPORTED_CONFLICTS = 5;

    private final Entries merged;
    private final RestoreStats stats;
    private final JsonLineReader reader = new JsonLineReader();
    /** The current key, then the lines kept with it so far, back to back. */
    private byte[] group = new byte[1 << 12];
    private int keyLength;
    private int[] lines = new int[8];
    private int lineCount;
    private int used;

    Deduplicated(Entries merged, RestoreStats stats) {
        this.merged = merged;
        this.stats = stats;
    }

    @Override
    public boolean next() throws IOException {
        while (merged.next()) {
            byte[] array = merged.array();
            int keyAt = merged.keyOffset();
            boolean sameKey = lineCount > 0 && Arrays.equals(group, 0, keyLength, array, keyAt, keyAt + merged.keyLength());
            if (!sameKey) {
                used = 0;
                lineCount = 0;
                keyLength = merged.keyLength();
                append(array, keyAt, keyLength);
            } else if (twin(array, merged.lineOffset(), merged.lineLength())) {
                continue;
            }
            if (lineCount * 2 == lines.length) {
                lines = Arrays.copyOf(lines, lines.length * 2);
            }
            lines[lineCount * 2] = used;
            lines[lineCount * 2 + 1] = merged.lineLength();
            lineCount++;
            append(array, merged.lineOffset(), merged.lineLength());
            return true;
        }
        return false;
    }

    /** Whether the line repeats one kept with this key, counted as a duplicate or a conflict. */
    private boolean twin(byte[] array, int offset, int length) {
        for (int i = 0; i < lineCount; i++) {
            if (Arrays.equals(group, lines[2 * i], lines[2 * i] + lines[2 * i + 1], array, offset, offset + length)) {
                stats.duplicates.increment();
                return true;
            }
        }
        ArchivedLine line = Entries.line(reader, array, offset, length);
        if (line.kind() != ArchivedLine.Kind.SAMPLE && line.kind() != ArchivedLine.Kind.HISTOGRAM) {
            return false;
        }
        for (int i = 0; i < lineCount; i++) {
            ArchivedLine kept = Entries.line(reader, group, lines[2 * i], lines[2 * i + 1]);
            if (kept.kind() == line.kind() && kept.time() == line.time() && kept.series().equals(line.series())
                    && kept.name().equals(line.name())) {
                if (sameValue(kept, line)) {
                    stats.duplicates.increment(); // written differently (a 2.0 line's created time), the same sample
                } else if (stats.conflicts.sum() < REPORTED_CONFLICTS) {
                    stats.conflicts.increment();
                    LOG.warn("{} at {}: the archive holds two different values; one is restored (further ones are"
                            + " counted in the summary)", line.labels(), line.time());
                } else {
                    stats.conflicts.increment();
                }
                return true;
            }
        }
        return false;
    }

    private static boolean sameValue(ArchivedLine a, ArchivedLine b) {
        return a.kind() == ArchivedLine.Kind.SAMPLE
                ? Double.doubleToRawLongBits(a.value()) == Double.doubleToRawLongBits(b.value())
                : a.histogram().equals(b.histogram());
    }

    private void append(byte[] from, int offset, int length) {
        if (used + length > group.length) {
            group = Arrays.copyOf(group, Math.max(group.length * 2, used + length));
        }
        System.arraycopy(from, offset, group, used, length);
        used += length;
    }

    @Override
    public byte[] array() {
        return group;
    }

    @Override
    public int keyOffset() {
        return 0;
    }

    @Override
    public int keyLength() {
        return keyLength;
    }

    @Override
    public int lineOffset() {
        return lines[2 * (lineCount - 1)];
    }

    @Override
    public int lineLength() {
        return lines[2 * (lineCount - 1) + 1];
    }

    @Override
    public void close() throws IOException {
        merged.close();
    }
}
