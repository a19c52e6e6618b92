package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The restore's routes are the map of its flow: every step id of routes/restore/ is in docs/routes.md's restore
 * table, and none is an id of the write path's routes (a reader of either must not confuse them).
 */
class RestoreRoutesTest {

    private static final Pattern ID = Pattern.compile("\\bid: ([a-z0-9-]+)");

    @Test
    void everyRestoreStepIsDocumentedAndNoneReusesAWritePathId() throws IOException {
        Set<String> restore = ids(Path.of("routes/restore"));
        assertTrue(restore.containsAll(List.of("open-object", "to-lines", "decode-line", "select-lines", "order-lines",
                "merge-runs", "group-requests", "protobuf-encode", "snappy-encode", "post-to-receiver")), "" + restore);
        String table = Files.readString(Path.of("docs/routes.md")).split("## Restore", 2)[1];
        assertEquals(List.of(), undocumented(restore, table), "steps missing from docs/routes.md's restore table");

        Set<String> shared = new TreeSet<>(restore);
        shared.retainAll(ids(Path.of("routes/remote-write.yaml"), Path.of("routes/transform.yaml")));
        assertEquals(Set.of(), shared, "ids the write path uses too");
    }

    @Test
    void everyCompactStepIsDocumented() throws IOException {
        Set<String> compact = ids(Path.of("routes/compact"));
        assertTrue(compact.containsAll(List.of("merge-runs", "to-rows", "parquet-encode", "publish-day")), "" + compact);
        String table = Files.readString(Path.of("docs/routes.md")).split("## Compact", 2)[1];
        assertEquals(List.of(), undocumented(compact, table), "steps missing from docs/routes.md's compact table");
    }

    @Test
    void theCheckRefusesATableMissingAStep() {
        assertEquals(List.of("merge-runs"), undocumented(Set.of("open-object", "merge-runs"),
                "| `open-object` | the object's bytes | `restore.ArchiveObjects` |"));
    }

    /** The ids no table row names (a row: | `id` ... | or | `a`, `b` ... |). */
    private static List<String> undocumented(Set<String> ids, String table) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (!Pattern.compile("(?m)^\\| [^|]*`" + Pattern.quote(id) + "`").matcher(table).find()) {
                missing.add(id);
            }
        }
        return missing;
    }

    private static Set<String> ids(Path... places) throws IOException {
        Set<String> ids = new TreeSet<>();
        for (Path place : places) {
            try (Stream<Path> files = Files.walk(place)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    Matcher id = ID.matcher(Files.readString(file));
                    while (id.find()) {
                        ids.add(id.group(1));
                    }
                }
            }
        }
        return ids;
    }
}
