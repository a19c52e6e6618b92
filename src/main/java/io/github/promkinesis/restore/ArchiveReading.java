package io.github.promkinesis.restore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * The first phase that restore, export and compact share, the route restore-object of read-archive.yaml: every
 * listed object read on up to 4 threads, its lines decoded, selected and sorted into runs on local disk. The
 * command's sink route then merges the runs ({@link SortedRuns#merge}).
 */
public final class ArchiveReading implements AutoCloseable {

    /** Share of the heap the sort buffers take: the rest is for the merge and the sink. */
    private static final int HEAP_SHARE_FOR_SORTING = 4;

    private final ArchiveObjects archive;
    private final List<String> objects;
    private final ArchiveFilter filter;
    private final RestoreStats stats;
    private final SortedRuns sorted;
    private final int readers;

    /** The objects of {@code archive} listed, to be read in {@code order}, runs in {@code tmpDir}. */
    public ArchiveReading(ArchiveObjects archive, List<String> objects, ArchiveFilter filter, SortOrder order,
                          Path tmpDir, RestoreStats stats) {
        this.archive = archive;
        this.objects = objects;
        this.filter = filter;
        this.stats = stats;
        stats.objectsTotal.set(objects.size());
        stats.bytesTotal.set(archive.bytesListed());
        this.readers = Math.max(1, Math.min(Math.min(objects.size(), Runtime.getRuntime().availableProcessors()), 4));
        this.sorted = new SortedRuns(order, tmpDir, Runtime.getRuntime().maxMemory() / HEAP_SHARE_FOR_SORTING,
                readers, stats);
    }

    /** The read route's beans (the sink's merge-runs step uses sortedRuns too). */
    public void bind(Main main) {
        main.bind("archiveObjects", archive);
        main.bind("archiveLines", new ArchiveLines(archive, stats));
        main.bind("lineDecoder", new LineDecoder(stats));
        main.bind("archiveFilter", filter);
        main.bind("sortedRuns", sorted);
    }

    /**
     * Every object through direct:restore-object; a problem of one object is reported on {@code err}
     * ({@code command: object: problem}) and counted, the others go on. What stops the reading (the temporary
     * directory cannot take the runs) is returned as a message; null when every object was read.
     */
    public String readAll(ProducerTemplate template, String command, PrintStream err) throws InterruptedException {
        ExecutorService reading = Executors.newFixedThreadPool(readers);
        try {
            List<Future<Exception>> read = new ArrayList<>();
            for (String object : objects) {
                read.add(reading.submit(() -> read(template, object, command, err)));
            }
            for (Future<Exception> one : read) {
                Exception fatal = one.get();
                if (fatal != null) {
                    read.forEach(other -> other.cancel(true));
                    return fatal.getMessage();
                }
            }
            return null;
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } finally {
            reading.shutdownNow();
        }
    }

    private Exception read(ProducerTemplate template, String object, String command, PrintStream err) {
        Exception failed = template.send("direct:restore-object", exchange -> {
            exchange.getMessage().setBody(object);
            exchange.setProperty(RestoreCommand.OBJECT, object);
        }).getException();
        stats.objectsDone.increment();
        SortedRuns.SpillFailed spill = SortedRuns.SpillFailed.in(failed);
        if (spill != null) {
            return spill;
        }
        if (failed != null) {
            stats.badObjects.increment();
            err.println(command + ": " + archive.where(object) + ": " + failed);
        }
        return null;
    }

    /** What a sink's failure says: the spill's own message when the runs could not be written. */
    public static String failure(Exception sinking) {
        SortedRuns.SpillFailed spill = SortedRuns.SpillFailed.in(sinking);
        return spill != null ? spill.getMessage()
                : sinking.getMessage() != null ? sinking.getMessage() : sinking.toString();
    }

    /** A route file of the working directory's routes/DIRECTORY when it has one, else the jar's. */
    public static String routes(String directory, String file) {
        Path local = Path.of("routes", directory, file);
        return Files.isRegularFile(local) ? "file:" + local.toAbsolutePath() : "classpath:routes/" + directory + "/" + file;
    }

    /** Deletes the runs. */
    @Override
    public void close() throws IOException {
        sorted.close();
    }
}
