package io.github.promkinesis.restore;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a restore did, for its progress lines, its summary and its exit code. */
public final class RestoreStats {

    final AtomicLong objectsTotal = new AtomicLong();
    final LongAdder objectsDone = new LongAdder();
    final LongAdder badObjects = new LongAdder();
    final LongAdder lines = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder badLines = new LongAdder();
    final LongAdder filteredOut = new LongAdder();
    final LongAdder samplesAccepted = new LongAdder();
    final LongAdder samplesRefused = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder notExportable = new LongAdder();
    private final long startedNanos = System.nanoTime();

    /** Exit 0 only when every line was read and every sample accepted. */
    boolean complete() {
        return badObjects.sum() == 0 && badLines.sum() == 0 && samplesRefused.sum() == 0;
    }

    String progress() {
        double seconds = Math.max(0.001, (System.nanoTime() - startedNanos) / 1e9);
        return String.format(java.util.Locale.ROOT, "objects %d/%d, lines %d, %.0f samples/s, %.1f MB read",
                objectsDone.sum(), objectsTotal.get(), lines.sum(), samplesAccepted.sum() / seconds, bytes.sum() / 1e6);
    }

    String summary() {
        return String.format(java.util.Locale.ROOT, "objects %d (bad %d), lines %d, samples %d written in %d"
                        + " requests (%d retries), %d refused by the receiver, %d outside --start/--end/--match,"
                        + " %d unreadable lines,"
                        + " %d not exportable (staleness markers, no metric name, histograms, exemplars, metadata)",
                objectsDone.sum(), badObjects.sum(), lines.sum(), samplesAccepted.sum(), requests.sum(), retries.sum(),
                samplesRefused.sum(), filteredOut.sum(), badLines.sum(), notExportable.sum());
    }
}
