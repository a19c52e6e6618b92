package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL of docs/format.md ("Compacted days", the blocks marked {@code sql raw-and-compacted}) answers the same
 * on the raw table and the compacted one: DuckDB reads a day of {@link FirehoseArchive}'s objects as Athena's
 * JSON table does (every line, duplicates and other days' lines included, {@code dt} from the hour prefix) and the
 * day compacted as the Parquet table does, then runs each block on both, the raw table's version of a line as
 * written and the compacted one's from its comment. A block that fails or answers otherwise fails the test, so the
 * documentation cannot drift from what the tables answer.
 */
class CompactSqlIT {

    private static final String DAY = "2026-11-27";
    private static final long DAY_START = Instant.parse(DAY + "T00:00:00Z").toEpochMilli();
    private static final long DAY_END = DAY_START + Duration.ofDays(1).toMillis() - 1;
    private static final Pattern MARKED = Pattern.compile("```sql raw-and-compacted\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ALTERNATIVE = Pattern.compile("^(.*?)\\s+--\\s?(.*)$");

    @TempDir
    Path temporary;

    @Test
    void theDocumentedSqlAnswersTheSameOnTheRawArchiveAndTheCompactedDay() throws Exception {
        Path raw = Files.createDirectory(temporary.resolve("archive"));
        // gzip records only: every object is gzip members, read by DuckDB as Athena reads them
        FirehoseArchive.Written archive = new FirehoseArchive(20261127).span(Duration.ofHours(8))
                .end(DAY_END + 1 + Duration.ofHours(2).toMillis()).plainRecords(0).write(raw);
        System.out.println("CompactSqlIT: " + archive);
        Path compacted = temporary.resolve("compacted");
        ArchiveCommand.Run compact = ArchiveCommand.run(List.of(), List.of("compact", "--from", raw.toString(),
                "--to", compacted.toString(), "--day", DAY, "--tmp-dir", temporary.toString()), Map.of(),
                Path.of("target/it-logs/CompactSqlIT-compact.log"), Duration.ofMinutes(2));
        ArchiveCommand.assertClean(compact);

        List<String> blocks = documentedBlocks(Files.readString(Path.of("docs/format.md")));
        try (Connection rawTable = DriverManager.getConnection("jdbc:duckdb:");
             Connection compactedTable = DriverManager.getConnection("jdbc:duckdb:")) {
            rawTable.createStatement().execute("CREATE VIEW prometheus_samples AS SELECT name, \"time\", value, stale,"
                    + " labels, regexp_extract(filename, '(\\d{4}/\\d{2}/\\d{2}/\\d{2})/[^/]+$', 1) AS dt FROM"
                    + " read_ndjson('" + raw + "/*/*/*/*/*', compression = 'gzip', filename = true, columns = {name:"
                    + " 'VARCHAR', time: 'BIGINT', value: 'VARCHAR', stale: 'BOOLEAN', labels: 'MAP(VARCHAR,"
                    + " VARCHAR)'})");
            // dt a string as in the Glue table: DuckDB would take it for a date and match '2026/11/27' too
            compactedTable.createStatement().execute("CREATE VIEW prometheus_compacted AS SELECT * FROM read_parquet('"
                    + compacted + "/dt=*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})");
            int queries = 0;
            for (String block : blocks) {
                List<List<Object>> fromRaw = run(rawTable, rawVersion(block));
                List<List<Object>> fromCompacted = run(compactedTable, compactedVersion(block));
                assertSameAnswers(fromRaw, fromCompacted, block);
                queries += fromRaw == null ? 0 : 1;
            }
            long truth = archive.points().filter(p -> p.time() >= DAY_START && p.time() <= DAY_END).count();
            String inTheDay = " WHERE \"time\" BETWEEN " + DAY_START + " AND " + DAY_END + " AND value IS NOT NULL";
            long rawLines = count(rawTable, "SELECT count(*) FROM prometheus_samples" + inTheDay);
            int found = queries;
            assertAll(() -> assertTrue(found >= 3, "queries marked in docs/format.md: " + found),
                    () -> assertEquals(truth, count(rawTable, "SELECT count(*) FROM day_samples WHERE value IS NOT"
                            + " NULL"), "the raw table's day once, against the archive's float samples"),
                    () -> assertEquals(truth, count(compactedTable, "SELECT count(*) FROM day_samples WHERE value IS"
                            + " NOT NULL"), "the compacted day, against the archive's float samples"),
                    () -> assertTrue(rawLines > truth, "without DISTINCT the raw table answers otherwise: "
                            + rawLines + " lines of " + truth + " samples"));
        }
    }

    /** The marked blocks, in the order the document has them. */
    static List<String> documentedBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        for (Matcher block = MARKED.matcher(markdown); block.find(); ) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    /** The block as written, comments left out. */
    static String rawVersion(String block) {
        return block.lines().map(line -> ALTERNATIVE.matcher(line).replaceAll("$1")).reduce("", (a, b) -> a + b + "\n");
    }

    /** The block with each line that has a comment replaced by the comment. */
    static String compactedVersion(String block) {
        return block.lines().map(line -> ALTERNATIVE.matcher(line).replaceAll("$2")).reduce("", (a, b) -> a + b + "\n");
    }

    /** The rows a statement answers, or null for one that answers none (a view). */
    private static List<List<Object>> run(Connection duckdb, String sql) {
        try (Statement statement = duckdb.createStatement()) {
            if (!statement.execute(sql.strip().replaceAll(";$", ""))) {
                return null;
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.getResultSet()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("docs/format.md's SQL fails: " + e.getMessage() + "\n" + sql, e);
        }
    }

    /** Equal rows; doubles equal but for the last bits a sum in another order changes. */
    private static void assertSameAnswers(List<List<Object>> raw, List<List<Object>> compacted, String block) {
        if (raw == null || compacted == null) {
            assertEquals(raw == null, compacted == null, "a result on one table only:\n" + block);
            return;
        }
        assertTrue(!raw.isEmpty(), "no rows: the test archive does not answer\n" + block);
        assertEquals(raw.size(), compacted.size(), "rows on raw and compacted:\n" + block);
        Comparator<List<Object>> byText = Comparator.comparing(Object::toString);
        raw.sort(byText);
        compacted.sort(byText);
        for (int row = 0; row < raw.size(); row++) {
            for (int column = 0; column < raw.get(row).size(); column++) {
                Object a = raw.get(row).get(column);
                Object b = compacted.get(row).get(column);
                boolean same = a instanceof Double x && b instanceof Double y
                        ? x.equals(y) || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x))
                        : String.valueOf(a).equals(String.valueOf(b));
                assertTrue(same, "row " + row + ", column " + (column + 1) + ": raw " + a + ", compacted " + b
                        + "\n" + block);
            }
        }
    }

    private static long count(Connection duckdb, String sql) {
        return ((Number) run(duckdb, sql).get(0).get(0)).longValue();
    }
}
