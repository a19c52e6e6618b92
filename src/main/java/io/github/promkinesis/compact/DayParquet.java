package io.github.promkinesis.compact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code parquet-encode} step: the day's rows written as one Parquet file in the temporary directory
 * ({@link ParquetDayWriter}), row groups of about {@link #ROW_GROUP_BYTES}, which the publish step then moves to
 * the destination whole.
 */
public final class DayParquet {

    /** Compressed bytes a row group holds (also what the writer holds in memory): a few S3 ranged reads each. */
    static final long ROW_GROUP_BYTES = 64L << 20;

    private final Path tmpDir;
    private final CompactStats stats;

    DayParquet(Path tmpDir, CompactStats stats) {
        this.tmpDir = tmpDir;
        this.stats = stats;
    }

    public Path encode(TableRows.Rows rows) throws IOException {
        Path file = Files.createTempFile(tmpDir, "compact-", ".parquet");
        try (rows; ParquetDayWriter writer = new ParquetDayWriter(file, ROW_GROUP_BYTES)) {
            for (CompactedRow row; (row = rows.next()) != null; ) {
                writer.write(row);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        stats.bytesWritten.add(Files.size(file));
        return file;
    }
}
