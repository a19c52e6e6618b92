package io.github.promkinesis.compact;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code publish-day} step: the day's file put at {@code DEST/dt=YYYY-MM-DD/part-0.parquet} whole, so a
 * reader sees the day as it was or as it is, never half of it, then its series index beside it
 * ({@link SeriesIndex}: one that does not name the file beside it is ignored). In a directory it is moved (copied when --tmp-dir
 * is on another file system) under a hidden name ('.' first, which Athena, DuckDB's globs and restore leave out)
 * and renamed over the old file atomically; in S3
 * a single PUT replaces an object atomically.
 */
public final class DayDestination {

    /** The exchange property with the day being compacted. */
    public static final String DAY = "compactDay";
    static final String FILE = "part-0.parquet";

    private final Path directory;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    private DayDestination(Path directory, S3Client s3, String bucket, String prefix) {
        this.directory = directory;
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    static DayDestination directory(Path directory) {
        return new DayDestination(directory, null, null, null);
    }

    static DayDestination s3(S3Client s3, String bucket, String prefix) {
        return new DayDestination(null, s3, bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
    }

    /** Where a day goes, relative to the destination. */
    static String key(LocalDate day) {
        return partition(day) + FILE;
    }

    private static String partition(LocalDate day) {
        return "dt=" + day + "/";
    }

    /** Where a day is, as reported. */
    String where(LocalDate day) {
        return s3 != null ? "s3://" + bucket + "/" + prefix + key(day) : directory.resolve(key(day)).toString();
    }

    public void publish(DayParquet.Day written, Exchange exchange) throws IOException {
        LocalDate day = exchange.getProperty(DAY, LocalDate.class);
        try {
            place(written.file(), key(day), "application/vnd.apache.parquet");
            place(written.index(), partition(day) + SeriesIndex.FILE, "application/gzip");
        } finally {
            Files.deleteIfExists(written.file());
            Files.deleteIfExists(written.index());
        }
    }

    /** One file put at its key whole: one PUT in S3; in a directory, a hidden copy renamed over the old file. */
    private void place(Path file, String key, String contentType) throws IOException {
        if (s3 != null) {
            s3.putObject(r -> r.bucket(bucket).key(prefix + key).contentType(contentType), RequestBody.fromFile(file));
            return;
        }
        Path target = directory.resolve(key);
        Path partition = Files.createDirectories(target.getParent());
        removeLeftovers(partition, target.getFileName().toString());
        Path hidden = partition.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid());
        try {
            Files.move(file, hidden, StandardCopyOption.ATOMIC_MOVE); // --tmp-dir on the same file system: no copy
        } catch (AtomicMoveNotSupportedException elsewhere) {
            Files.copy(file, hidden, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel written = FileChannel.open(hidden, StandardOpenOption.WRITE)) {
            written.force(true);
        }
        Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Hidden copies a killed run left. */
    private static void removeLeftovers(Path partition, String name) throws IOException {
        try (Stream<Path> files = Files.list(partition)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("." + name + ".")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
