package io.github.promkinesis.compact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code parquet-encode} step: the day's rows written as one Parquet file in the temporary directory
 * ({@link ParquetDayWriter}), row groups of about {@link #ROW_GROUP_BYTES}, and its series index beside it
 * ({@link SeriesIndex}), which the publish step then moves to the destination whole.
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

    /** The day's file and its series index, in the temporary directory. */
    public record Day(Path file, Path index) {
    }

    public Day encode(TableRows.Rows rows) throws IOException {
        Path file = Files.createTempFile(tmpDir, "compact-", ".parquet");
        Path index = Files.createTempFile(tmpDir, "compact-", ".json.gz");
        try (RowsAhead ahead = new RowsAhead(rows); SeriesIndex series = new SeriesIndex(index)) {
            ParquetDayWriter writer = new ParquetDayWriter(file, ROW_GROUP_BYTES);
            try (writer) {
                for (CompactedRow row; (row = ahead.next()) != null; ) {
                    writer.write(row);
                    series.row(row);
                }
            }
            series.finish(writer.bytes(), writer.sha256());
            stats.bytesWritten.add(writer.bytes());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(index);
            throw e;
        }
        return new Day(file, index);
    }
}
