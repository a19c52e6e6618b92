package io.github.promkinesis.restore;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** What a restore did, for its progress lines, its summary and its exit code. */
public final class RestoreStats {

    final AtomicLong objectsTotal = new AtomicLong();
    /** The listing's bytes; 0 when the source cannot tell (a stream). */
    final AtomicLong bytesTotal = new AtomicLong();
    final LongAdder objectsDone = new LongAdder();
    final LongAdder badObjects = new LongAdder();
    final LongAdder lines = new LongAdder();
    /** Bytes of the objects read, as stored (before gunzip). */
    final LongAdder bytes = new LongAdder();
    final LongAdder badLines = new LongAdder();
    final LongAdder filteredOut = new LongAdder();
    final LongAdder ordered = new LongAdder();
    final AtomicInteger runs = new AtomicInteger();
    /** Bytes of sorted runs on disk now, and at the most. */
    private final AtomicLong diskBytes = new AtomicLong();
    private final AtomicLong diskPeak = new AtomicLong();
    final LongAdder duplicates = new LongAdder();
    final LongAdder conflicts = new LongAdder();
    final LongAdder alreadyRestored = new LongAdder();
    final LongAdder samplesAccepted = new LongAdder();
    final LongAdder samplesRefused = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder notExportable = new LongAdder();
    private final long startedNanos = System.nanoTime();
    private volatile long sendingNanos;
    /** Merge passes before the last (more runs than merge at once): the runs' bytes they read, planned and done. */
    private volatile long remergePlanned;
    final LongAdder remerged = new LongAdder();
    private volatile long remergeStartNanos;
    private volatile long remergeEndNanos;
    /** A sink that counts the lines it wrote itself (compact's rows), or null. */
    private volatile LongSupplier written;

    /** Where the archive's objects add the bytes they read ({@link ArchiveObjects#at}). */
    public LongAdder bytesRead() {
        return bytes;
    }

    /** Exit 0 only when every line was read and every sample accepted. */
    public boolean complete() {
        return badObjects.sum() == 0 && badLines.sum() == 0 && samplesRefused.sum() == 0;
    }

    /** Runs written (more bytes) or deleted (fewer). */
    void diskBytes(long change) {
        diskPeak.accumulateAndGet(diskBytes.addAndGet(change), Math::max);
    }

    /** Every object read: from now on the lines go out. */
    public void sending() {
        sendingNanos = System.nanoTime();
    }

    /** Every object read: from now on the lines are written, as many as {@code lines} says so far. */
    public void writing(LongSupplier lines) {
        written = lines;
        sending();
    }

    /** Every object read, and these bytes of sorted runs to merge into fewer before the lines go out. */
    void remerging(long bytes) {
        remergeStartNanos = System.nanoTime();
        remergePlanned = bytes;
    }

    void remerged(long bytes) {
        remerged.add(bytes);
    }

    void remergeDone() {
        remergeEndNanos = System.nanoTime();
    }

    /** Where the run is: share done, rate and time left of the phase it is in. */
    public String progress() {
        long now = System.nanoTime();
        if (remergePlanned > 0 && remergeEndNanos == 0) {
            double seconds = seconds(remergeStartNanos, now);
            long done = remerged.sum();
            return String.format(Locale.ROOT, "merging %.0f%% of %.1f MB of sorted runs, %d at a time, %.1f MB/s%s",
                    100.0 * done / remergePlanned, remergePlanned / 1e6, SortedRuns.FAN_IN, done / 1e6 / seconds,
                    left(done, remergePlanned, seconds));
        }
        if (sendingNanos == 0) {
            double seconds = seconds(startedNanos, now);
            long read = bytes.sum();
            long total = bytesTotal.get();
            String share = total > 0 ? String.format(Locale.ROOT, "%.0f%% of %.1f MB", 100.0 * read / total, total / 1e6)
                    : String.format(Locale.ROOT, "%.1f MB", read / 1e6);
            return String.format(Locale.ROOT, "reading %s (objects %d/%d), %d lines, %.0f lines/s%s", share,
                    objectsDone.sum(), objectsTotal.get(), lines.sum(), lines.sum() / seconds,
                    left(read, total, seconds));
        }
        double seconds = seconds(Math.max(sendingNanos, remergeEndNanos), now);
        long total = ordered.sum() - duplicates.sum() - conflicts.sum(); // falls as the merge finds twins
        if (written != null) {
            long done = written.getAsLong();
            return String.format(Locale.ROOT, "writing %.0f%% of %d lines, %.0f lines/s%s",
                    100.0 * done / Math.max(1, total), total, done / seconds, left(done, total, seconds));
        }
        long done = samplesAccepted.sum() + samplesRefused.sum() + alreadyRestored.sum() + notExportable.sum();
        return String.format(Locale.ROOT, "sending %.0f%% of %d lines, %.0f samples/s%s",
                100.0 * done / Math.max(1, total), total, samplesAccepted.sum() / seconds, left(done, total, seconds));
    }

    private static String left(long done, long total, double seconds) {
        if (total <= 0 || done <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, ", about %.0f s left", Math.max(0, total - done) * seconds / done);
    }

    private static double seconds(long from, long to) {
        return Math.max(0.001, (to - from) / 1e9);
    }

    public String summary() {
        return String.format(Locale.ROOT, "objects %d (bad %d), lines %d, samples %d written in %d"
                        + " requests (%d retries), %d refused by the receiver, %d outside --start/--end/--match,"
                        + " %d unreadable lines, %d duplicates sent once, %d conflicting values left out,"
                        + " %d sent by an earlier run (--checkpoint), sorted in %d runs on disk (at most %.1f MB),"
                        + " %d not exportable (staleness markers, no metric name, histograms, exemplars, metadata),"
                        + " read in %.1f s, merged and delivered in %.1f s",
                objectsDone.sum(), badObjects.sum(), lines.sum(), samplesAccepted.sum(), requests.sum(), retries.sum(),
                samplesRefused.sum(), filteredOut.sum(), badLines.sum(), duplicates.sum(), conflicts.sum(),
                alreadyRestored.sum(), runs.get(), diskPeak.get() / 1e6, notExportable.sum(),
                seconds(startedNanos, sendingNanos == 0 ? System.nanoTime() : sendingNanos),
                sendingNanos == 0 ? 0 : seconds(sendingNanos, System.nanoTime()));
    }
}
