package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** Runs merged at once: each holds about 200 KiB while read. More runs are first merged into fewer on disk. */
    static final int FAN_IN = 64;

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
        List<Entries> inMemory = new ArrayList<>();
        for (RunBuffer left : buffers) {
            if (!left.isEmpty()) {
                left.sort();
                inMemory.add(left.entries());
            }
        }
        while (runs.size() + inMemory.size() > FAN_IN) {
            // no more than it takes to get down to FAN_IN: each pass reads and writes what it merges again
            int merging = Math.min(FAN_IN, runs.size() + inMemory.size() - FAN_IN + 1);
            List<Path> first = new ArrayList<>(runs.subList(0, merging));
            Path merged = nextRun();
            try (Entries entries = new Deduplicated(new MergedEntries(open(first)), stats)) {
                write(entries, merged);
            }
            for (Path done : first) {
                stats.diskBytes(-Files.size(done));
                Files.delete(done);
            }
            runs.removeAll(first);
            runs.add(merged);
        }
        List<Entries> all = open(runs);
        all.addAll(inMemory);
        return new Deduplicated(new MergedEntries(all), stats);
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
