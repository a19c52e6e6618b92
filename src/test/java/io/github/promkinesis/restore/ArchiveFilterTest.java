package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.lines.ArchivedLine;
import io.github.promkinesis.lines.JsonLineReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --start, --end and --match: times inclusive, selectors OR-ed, metadata selected by its metric's name. */
class ArchiveFilterTest {

    private static final ArchivedLine UP = line("{\"name\":\"up\",\"time\":1000,\"value\":1.0,"
            + "\"labels\":{\"__name__\":\"up\",\"job\":\"node\"}}");
    private static final ArchivedLine UP_METADATA = line("{\"name\":\"up\",\"time\":1000,"
            + "\"metadata\":{\"type\":\"gauge\",\"help\":\"h\",\"unit\":\"\"}}");

    @Test
    void bothEndsOfTheTimeRangeAreKept() {
        assertTrue(new ArchiveFilter("1000", "1000", List.of(), new RestoreStats()).keeps(UP));
        assertTrue(new ArchiveFilter("1970-01-01T00:00:01Z", null, List.of(), new RestoreStats()).keeps(UP));
        assertFalse(new ArchiveFilter("1001", null, List.of(), new RestoreStats()).keeps(UP));
        assertFalse(new ArchiveFilter(null, "999", List.of(), new RestoreStats()).keeps(UP));
        assertEquals("--start is after --end",
                assertThrows(IllegalArgumentException.class, () -> new ArchiveFilter("2", "1", List.of(), new RestoreStats())).getMessage());
    }

    @Test
    void selectorsAreOredAndMetadataGoesWithItsMetric() {
        ArchiveFilter node = new ArchiveFilter(null, null, List.of("{__name__=\"up\",job=\"node\"}"), new RestoreStats());
        assertTrue(node.keeps(UP));
        assertTrue(node.keeps(UP_METADATA), "metadata has no job label: its metric name decides");
        ArchiveFilter other = new ArchiveFilter(null, null, List.of("{job=\"other\"}", "down"), new RestoreStats());
        assertFalse(other.keeps(UP));
        assertTrue(other.keeps(UP_METADATA), "{job=\"other\"} may select series of up: its metadata stays");
        assertFalse(new ArchiveFilter(null, null, List.of("down", "{__name__!=\"up\"}"), new RestoreStats()).keeps(UP_METADATA));
        ArchiveFilter either = new ArchiveFilter(null, null, List.of("down", "{__name__=~\"u.\"}"), new RestoreStats());
        assertTrue(either.keeps(UP));
        assertTrue(either.keeps(UP_METADATA));
    }

    private static ArchivedLine line(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return new JsonLineReader().read(bytes, 0, bytes.length);
    }
}
