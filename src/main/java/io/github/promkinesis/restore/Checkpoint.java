package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Properties;

/**
 * {@code --checkpoint FILE}: how far each send shard got. A shard sends its series' lines in time order, one
 * request after the other, so once a request is answered, the shard's lines up to its last line are done: those
 * before its last time, and the first N at that time. The merge's order is the same on every run, so a rerun reads
 * the archive again and sends only what comes after: nothing a receiver took is sent again (Prometheus refuses a
 * sample older than its series' newest). The file names the selection and the shard count it was written for; a
 * rerun with others is refused, since its shards would hold other series.
 */
final class Checkpoint {

    private static final long NOTHING = Long.MIN_VALUE;

    private final Path file;
    private final String selection;
    private final long[] lastTime;
    /** Per shard, the lines at its last time that are done. */
    private final long[] doneAtLastTime;

    /** The checkpoint of FILE, or a new one; an unusable file is an IllegalArgumentException saying why. */
    Checkpoint(Path file, String selection, int shards) {
        this.file = file;
        this.selection = selection;
        this.lastTime = new long[shards];
        this.doneAtLastTime = new long[shards];
        Arrays.fill(lastTime, NOTHING);
        if (file == null || !Files.exists(file)) {
            return;
        }
        Properties saved = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--checkpoint " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (!selection.equals(saved.getProperty("selection"))) {
            throw new IllegalArgumentException("--checkpoint " + file + " is of another restore ("
                    + saved.getProperty("selection", "not a restore checkpoint") + "): use the same --from,"
                    + " --start, --end and --match, or another file");
        }
        if (!String.valueOf(shards).equals(saved.getProperty("shards"))) {
            throw new IllegalArgumentException("--checkpoint " + file + " was written with --concurrency "
                    + saved.getProperty("shards") + ": rerun with the same");
        }
        try {
            for (int shard = 0; shard < shards; shard++) {
                String time = saved.getProperty("shard." + shard + ".last-time");
                if (time != null) {
                    lastTime[shard] = Long.parseLong(time);
                    doneAtLastTime[shard] = Long.parseLong(saved.getProperty("shard." + shard + ".lines-at-last-time"));
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--checkpoint " + file + ": not a restore checkpoint (" + e.getMessage()
                    + ")");
        }
    }

    /**
     * Whether the shard's line at this time was answered in an earlier run; {@code atTime} is how many of the
     * shard's lines at this time came before it.
     */
    boolean done(int shard, long time, long atTime) {
        return time < lastTime[shard] || time == lastTime[shard] && atTime < doneAtLastTime[shard];
    }

    /**
     * The shard's request was answered, its last line at {@code time}, the {@code atTime}-th of the shard's lines
     * at that time: saved before the shard sends its next.
     */
    synchronized void answered(int shard, long time, long atTime) {
        lastTime[shard] = time;
        doneAtLastTime[shard] = atTime;
        if (file == null) {
            return;
        }
        Properties saved = new Properties();
        saved.setProperty("selection", selection);
        saved.setProperty("shards", String.valueOf(lastTime.length));
        for (int i = 0; i < lastTime.length; i++) {
            if (lastTime[i] != NOTHING) {
                saved.setProperty("shard." + i + ".last-time", String.valueOf(lastTime[i]));
                saved.setProperty("shard." + i + ".lines-at-last-time", String.valueOf(doneAtLastTime[i]));
            }
        }
        Path written = file.resolveSibling(file.getFileName() + ".new");
        try (Writer out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
            saved.store(out, "prometheus-remote-kinesis restore: how far each shard's answered requests reach");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + written, e);
        }
        try {
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file, e);
        }
    }
}
