package io.github.promkinesis.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.restore.ArchiveObjects;
import io.github.promkinesis.restore.Entries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted day's rows written by {@link ParquetDayWriter} and read back by restore (its Parquet reader, through
 * {@link ArchiveObjects}) give every line back byte for byte: float samples of every value kind from their
 * columns, the other kinds and the lines the columns cannot say from their JSON. The same rows give the same file.
 */
class ParquetDayWriterTest {

    private static final List<String> EVERY_KIND = List.of(
            "{\"name\":\"up\",\"time\":1795000000000,\"value\":1.0,\"labels\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"}}",
            "{\"name\":\"up\",\"time\":1795000015000,\"value\":\"NaN\",\"stale\":true,\"labels\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"}}",
            "{\"name\":\"up\",\"time\":1795000030000,\"value\":\"NaN\",\"labels\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"}}",
            "{\"name\":\"x\",\"time\":1795000000000,\"value\":\"+Inf\",\"labels\":{\"__name__\":\"x\",\"é\":\"ü \\\"q\\\" \\n 😀\"}}",
            "{\"name\":\"x\",\"time\":1795000000001,\"value\":\"-Inf\",\"labels\":{\"__name__\":\"x\"}}",
            "{\"name\":\"x\",\"time\":1795000000002,\"value\":-0.0,\"labels\":{\"__name__\":\"x\"}}",
            "{\"name\":\"x\",\"time\":1795000000003,\"value\":4.9E-324,\"labels\":{\"__name__\":\"x\"}}",
            "{\"name\":\"x\",\"time\":1795000000004,\"value\":1.7976931348623157E308,\"labels\":{\"__name__\":\"x\"}}",
            // labels not sorted and a created time: the columns cannot say them, the JSON is kept
            "{\"name\":\"y\",\"time\":1795000000000,\"value\":2.5,\"labels\":{\"job\":\"b\",\"__name__\":\"y\"}}",
            "{\"name\":\"y\",\"time\":1795000000001,\"value\":2.5,\"created\":1794000000000,\"labels\":{\"__name__\":\"y\",\"job\":\"b\"}}",
            "{\"name\":\"rpc_seconds\",\"time\":1795000000000,\"histogram\":{\"count\":9,\"sum\":10.5,\"schema\":0,\"zero_threshold\":0.001,\"zero_count\":1,\"reset_hint\":\"no\",\"buckets\":[{\"index\":1,\"lower\":-2.0,\"upper\":-1.0,\"count\":1},{\"index\":1,\"lower\":1.0,\"upper\":2.0,\"count\":3},{\"index\":2,\"lower\":2.0,\"upper\":4.0,\"count\":4}]},\"labels\":{\"__name__\":\"rpc_seconds\",\"job\":\"api\"}}",
            "{\"name\":\"rpc_seconds\",\"time\":1795000000001,\"exemplar\":{\"value\":0.3,\"labels\":{\"trace_id\":\"t-1\"}},\"labels\":{\"__name__\":\"rpc_seconds\",\"job\":\"api\"}}",
            "{\"name\":\"rpc_seconds\",\"time\":1795000012345,\"metadata\":{\"type\":\"histogram\",\"help\":\"RPC latency.\",\"unit\":\"seconds\"}}");

    @TempDir
    Path directory;

    @Test
    void everyKindOfLineComesBackByteForByte() throws IOException {
        CompactStats stats = new CompactStats();
        Path file = write(EVERY_KIND, 64L << 20, stats, "every-kind.parquet");
        assertEquals(EVERY_KIND, readBack(file));
        assertEquals(10, stats.floatSamples.sum());
        assertEquals(2, stats.floatLinesKept.sum(), "the unsorted labels and the created time");
        assertEquals(3, stats.otherLines.sum());
    }

    /** A row group ending in rows without labels (metadata) has them in every column, as DuckDB checks. */
    @Test
    void everyColumnHasEveryRowForDuckDb() throws Exception {
        Path file = write(EVERY_KIND, 64L << 20, new CompactStats(), "duckdb.parquet");
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = duckdb.createStatement();
             ResultSet counts = sql.executeQuery("SELECT count(*), count(labels), count(value), count(kind), count(line)"
                     + " FROM read_parquet('" + file + "')")) {
            counts.next();
            assertEquals(List.of(13, 12, 10, 3, 5), List.of(counts.getInt(1), counts.getInt(2), counts.getInt(3),
                    counts.getInt(4), counts.getInt(5)));
        }
    }

    @Test
    void manyRowGroupsAndPagesComeBackInOrderAndTheSameRowsGiveTheSameBytes() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int series = 0; series < 40; series++) {
            for (int i = 0; i < 2000; i++) {
                lines.add("{\"name\":\"node_cpu_seconds_total\",\"time\":" + (1795000000000L + 15_000L * i)
                        + ",\"value\":" + (1000.25 * series + i * 0.5) + ",\"labels\":{\"__name__\":\"node_cpu_seconds_total\","
                        + "\"cpu\":\"" + series + "\",\"instance\":\"host-" + series % 7 + ":9100\",\"job\":\"node\"}}");
            }
        }
        // a row group every 1,024 rows
        Path first = write(lines, 1, new CompactStats(), "first.parquet");
        Path second = write(lines, 1, new CompactStats(), "second.parquet");
        assertEquals(lines, readBack(first));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        long size = Files.size(write(lines, 64L << 20, new CompactStats(), "one-group.parquet"));
        assertTrue(size < 3L * lines.size(), size + " bytes for " + lines.size() + " samples");
    }

    private Path write(List<String> lines, long rowGroupBytes, CompactStats stats, String name) throws IOException {
        Path file = directory.resolve(name);
        try (TableRows.Rows rows = new TableRows(stats).rows(new Listed(lines));
             ParquetDayWriter writer = new ParquetDayWriter(file, rowGroupBytes)) {
            for (CompactedRow row; (row = rows.next()) != null; ) {
                writer.write(row);
            }
        }
        return file;
    }

    private static List<String> readBack(Path file) throws IOException {
        RestoreSettings settings = RestoreSettings.read(SettingsSource.environmentOnly(Map.of()));
        ArchiveObjects archive = ArchiveObjects.at(file.toString(), settings, null, new LongAdder(), file.getParent());
        try (InputStream in = archive.open(file.toString())) {
            return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    /** Lines as merged entries (no keys: the rows step reads only the lines). */
    private static final class Listed implements Entries {
        private final List<byte[]> lines;
        private int at = -1;

        Listed(List<String> lines) {
            this.lines = lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        }

        @Override
        public boolean next() {
            return ++at < lines.size();
        }

        @Override
        public byte[] array() {
            return lines.get(at);
        }

        @Override
        public int keyOffset() {
            return 0;
        }

        @Override
        public int keyLength() {
            return 0;
        }

        @Override
        public int lineOffset() {
            return 0;
        }

        @Override
        public int lineLength() {
            return lines.get(at).length;
        }
    }
}
