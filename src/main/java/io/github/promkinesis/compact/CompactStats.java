package io.github.promkinesis.compact;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/** What a compaction wrote, for its summary line (the reading's figures are the restore's, RestoreStats). */
final class CompactStats {

    final LongAdder floatSamples = new LongAdder();
    /** Float lines the columns would not give back byte for byte, kept as JSON beside them. */
    final LongAdder floatLinesKept = new LongAdder();
    final LongAdder otherLines = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();

    /** Rows made so far. */
    long lines() {
        return floatSamples.sum() + otherLines.sum();
    }

    String summary() {
        long samples = floatSamples.sum();
        return String.format(Locale.ROOT, "%d float samples (%d also as JSON), %d histogram, exemplar and metadata"
                        + " lines, %d bytes of Parquet (%.2f bytes a float sample)", samples, floatLinesKept.sum(),
                otherLines.sum(), bytesWritten.sum(), samples == 0 ? 0 : (double) bytesWritten.sum() / samples);
    }
}
