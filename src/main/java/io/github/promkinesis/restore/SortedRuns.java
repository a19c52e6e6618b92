package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * The {@code order} step and, once every object is read, the merge: an external sort that keeps the heap flat
 * whatever the archive's size. Each reading thread fills a buffer of its share of the memory budget; a full
 * buffer is sorted and written to the temporary directory as a run. The merge reads the runs side by side (and
 * the buffers still in memory, so a selection that fits is never written), at most {@link #FAN_IN} at a time,
 * and drops the archive's twins ({@link Deduplicated}). In time order (restore), a float sample read only for its
 * key is kept as the protobuf TimeSeries it will be sent as; every other line as its JSON.
 */
public final class SortedRuns implements AutoCloseable {

    /** Runs merged at once: each holds about 100 KiB while read. More runs are first merged into fewer on disk. */
    static final int FAN_IN = 128;
    private static final int MERGES_AT_ONCE = 2;

    private final SortOrder order;
    private final Path tmpDir;
    private final int bufferBytes;
    private final RestoreStats stats;
    private final List<RunBuffer> buffers = new ArrayList<>();
    private final ThreadLocal<RunBuffer> buffer;
    private final List<Path> runs = new ArrayList<>();
    private Path directory;

    /** {@code budget} bytes of heap for the buffers, shared by {@code readers} reading threads. */
    SortedRuns(SortOrder order, Path tmpDir, long budget, int readers, RestoreStats stats) {
        this.order = order;
        this.tmpDir = tmpDir;
        this.bufferBytes = (int) Math.min(Integer.MAX_VALUE - 64, budget / readers);
        this.stats = stats;
        this.buffer = ThreadLocal.withInitial(() -> {
            RunBuffer made = new RunBuffer(bufferBytes);
            synchronized (buffers) {
                buffers.add(made);
            }
            return made;
        });
    }

    /** The order step: every line of the object into this thread's buffer, spilling it when full. */
    public void add(LineCursor lines) throws IOException {
        RunBuffer into = buffer.get();
        byte[] key = new byte[SortOrder.MAX_KEY];
        while (lines.next()) {
            int keyLength = order.key(lines, key);
            byte[] entry = lines.bytes;
            int offset = lines.offset;
            int length = lines.length;
            if (lines.keyed && order == SortOrder.TIME) {
                // kept as the series it will be sent as: a third smaller than its line, and sent by copying it
                entry = lines.reader.keySeries();
                offset = 0;
                length = lines.reader.keySeriesLength();
            }
            if (!into.add(key, keyLength, entry, offset, length)) {
                spill(into);
                if (!into.add(key, keyLength, entry, offset, length)) {
                    throw new IOException(lines.object + ":" + lines.number + ": a line of " + lines.length
                            + " bytes is larger than the sort buffer (" + bufferBytes + " bytes): give the restore"
                            + " more memory");
                }
            }
            stats.ordered.increment();
        }
    }

    private void spill(RunBuffer full) {
        full.sort();
        Path file = nextRun();
        write(full.entries(), file);
        full.clear();
        synchronized (runs) {
            runs.add(file);
        }
    }

    /** Every line added, in order, each once. Call after the last add. */
    public Entries merge() throws IOException {
        List<RunBuffer> left = buffers.stream().filter(full -> !full.isEmpty()).toList();
        sortAtOnce(left);
        List<Entries> inMemory = new ArrayList<>();
        for (RunBuffer sorted : left) {
            inMemory.add(sorted.entries());
        }
        long planned = remergeBytes(inMemory.size());
        if (planned > 0) {
            stats.remerging(planned);
        }
        remerge(inMemory.size());
        if (planned > 0) {
            stats.remergeDone();
        }
        List<Entries> all = open(runs);
        all.addAll(inMemory);
        return new Deduplicated(new MergedEntries(all), stats);
    }

    /** The buffers sorted each on a thread of its own: one after the other, they left a core idle for a second. */
    private static void sortAtOnce(List<RunBuffer> left) throws IOException {
        List<FutureTask<Void>> sorting = new ArrayList<>();
        for (RunBuffer buffer : left.subList(Math.min(1, left.size()), left.size())) {
            FutureTask<Void> sort = new FutureTask<>(buffer::sort, null);
            Thread thread = new Thread(sort, "sort-buffer");
            thread.setDaemon(true);
            thread.start();
            sorting.add(sort);
        }
        if (!left.isEmpty()) {
            left.get(0).sort();
        }
        for (FutureTask<Void> sort : sorting) {
            done(sort, "the sort buffers were sorted");
        }
    }

    /**
     * Runs merged into one, the first {@link #FAN_IN} at a time, until FAN_IN are left; two merges at once on two
     * cores (the reading threads are done by now). The lines come out the same whatever the grouping: entries that
     * tie in the merge's order are the same line.
     */
    private void remerge(int inMemory) throws IOException {
        ExecutorService merging = null;
        List<Future<Path>> started = new ArrayList<>();
        try {
            while (true) {
                int left = runs.size() + started.size() + inMemory;
                int first = Math.min(toMerge(left), runs.size());
                if (left > FAN_IN && first >= 2 && started.size() < MERGES_AT_ONCE) {
                    List<Path> group = new ArrayList<>(runs.subList(0, first));
                    runs.subList(0, first).clear();
                    if (merging == null) {
                        merging = Executors.newFixedThreadPool(MERGES_AT_ONCE, task -> {
                            Thread thread = new Thread(task, "sort-merge");
                            thread.setDaemon(true);
                            return thread;
                        });
                    }
                    started.add(merging.submit(() -> mergeInto(group)));
                } else if (!started.isEmpty()) {
                    runs.add(done(started.remove(0), "the sorted runs were merged"));
                } else {
                    return;
                }
            }
        } finally {
            if (merging != null) {
                merging.shutdownNow();
            }
        }
    }

    private Path mergeInto(List<Path> group) throws IOException {
        Path merged = nextRun();
        try (Entries entries = new Deduplicated(new MergedEntries(open(group)), stats)) {
            write(entries, merged);
        }
        for (Path done : group) {
            long size = Files.size(done);
            stats.diskBytes(-size);
            stats.remerged(size);
            Files.delete(done);
        }
        return merged;
    }

    /** How many runs the next merge before the last takes of {@code left}: no more than leaves FAN_IN for the last. */
    private static int toMerge(int left) {
        return Math.min(FAN_IN, left - FAN_IN + 1);
    }

    /** What another thread's work gave, or its failure as it was thrown there. */
    private static <T> T done(Future<T> work, String what) throws IOException {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        }
    }

    /** The bytes of runs the passes before the last will read: as merge goes, a merged run as big as its parts. */
    private long remergeBytes(int inMemory) throws IOException {
        List<Long> sizes = new ArrayList<>();
        for (Path run : runs) {
            sizes.add(Files.size(run));
        }
        long planned = 0;
        while (sizes.size() + inMemory > FAN_IN) {
            List<Long> first = sizes.subList(0, toMerge(sizes.size() + inMemory));
            long merged = first.stream().mapToLong(Long::longValue).sum();
            planned += merged;
            first.clear();
            sizes.add(merged);
        }
        return planned;
    }

    private static List<Entries> open(List<Path> files) throws IOException {
        List<Entries> opened = new ArrayList<>();
        for (Path file : files) {
            opened.add(RunFile.read(file));
        }
        return opened;
    }

    private synchronized Path nextRun() {
        try {
            if (directory == null) {
                directory = Files.createTempDirectory(tmpDir, "prometheus-remote-kinesis-sort-");
            }
            return directory.resolve("run-" + stats.runs.incrementAndGet());
        } catch (IOException e) {
            throw new SpillFailed(tmpDir, e);
        }
    }

    private void write(Entries entries, Path file) {
        try {
            RunFile.write(entries, file);
            stats.diskBytes(Files.size(file));
        } catch (IOException e) {
            throw new SpillFailed(tmpDir, e);
        }
    }

    /** Deletes the runs and their directory. */
    @Override
    public void close() throws IOException {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    /** The temporary directory cannot take the runs (full, read-only, missing): the restore cannot go on. */
    static final class SpillFailed extends UncheckedIOException {
        SpillFailed(Path directory, IOException cause) {
            super("cannot write the sorted runs in " + directory.toAbsolutePath() + " (--tmp-dir): " + cause, cause);
        }

        /** The one among a failure's causes, however Camel wrapped it, or null. */
        static SpillFailed in(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof SpillFailed spill) {
                    return spill;
                }
            }
            return null;
        }
    }
}
