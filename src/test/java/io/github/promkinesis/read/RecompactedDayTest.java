package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.RemoteRead;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A day changed on disk. Compacted again while serve-archive has it cached (late data came; its file and index
 * replaced): the reader never answers the new file's bytes read by the old index. The request that finds the day
 * replaced is answered 503; the next one reads the day anew and has the late sample. Damaged: 503, and the start
 * goes on.
 */
class RecompactedDayTest {

    private static final long START = Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDayCompactedAgainIsReadAnewNeverMixed(@TempDir Path work) throws Exception {
        Path raw = work.resolve("raw");
        Path compacted = work.resolve("compacted");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add(line(START + 60_000L * i, i));
        }
        write(raw.resolve("2026/11/27/10/part-1"), lines);
        compact(raw, compacted, work);
        ServedArchive.Served server = ServedArchive.serve(compacted, Map.of());
        try {
            URI read = server.read();
            ReadRequest request = RemoteRead.request(List.of(), RemoteRead.query(START, START + 86_399_999L,
                    RemoteRead.matcher(LabelMatcher.Type.EQ, "__name__", "up")));
            assertEquals(1000, samples(RemoteRead.samples(RemoteRead.post(HTTP, read, request, Map.of()))).size());

            // late data: a sample the day did not have, at 23:59, and the day compacted again
            write(raw.resolve("2026/11/28/01/part-2"), List.of(line(START + 86_340_000L, 1)));
            compact(raw, compacted, work);

            HttpResponse<byte[]> found = RemoteRead.post(HTTP, read, request, Map.of());
            if (found.statusCode() == 503) {
                assertTrue(new String(found.body(), StandardCharsets.UTF_8).contains("replaced"));
                found = RemoteRead.post(HTTP, read, request, Map.of());
            }
            TreeMap<Long, Long> after = samples(RemoteRead.samples(found));
            assertEquals(1001, after.size());
            assertEquals(Double.doubleToRawLongBits(1), after.get(START + 86_340_000L));
        } finally {
            server.main().stop();
        }
    }

    /** The start's warm-up reads the newest day: one damaged on disk neither stops the start nor gets answered. */
    @Test
    void aDamagedNewestDayNeitherStopsTheStartNorIsAnswered(@TempDir Path work) throws Exception {
        Path raw = work.resolve("raw");
        Path compacted = work.resolve("compacted");
        write(raw.resolve("2026/11/27/10/part-1"), List.of(line(START, 1), line(START + 60_000L, 2)));
        compact(raw, compacted, work);
        Path file = compacted.resolve("dt=2026-11-27/part-0.parquet");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        ServedArchive.Served server = ServedArchive.serve(compacted, Map.of());
        try {
            HttpResponse<byte[]> found = RemoteRead.post(HTTP, server.read(),
                    RemoteRead.request(List.of(), RemoteRead.query(START, START + 86_399_999L,
                            RemoteRead.matcher(LabelMatcher.Type.EQ, "__name__", "up"))), Map.of());
            assertEquals(503, found.statusCode(), new String(found.body(), StandardCharsets.UTF_8));
        } finally {
            server.main().stop();
        }
    }

    private static TreeMap<Long, Long> samples(RemoteRead.Answer answer) {
        return answer.queries().get(0).values().iterator().next();
    }

    private static String line(long time, double value) {
        return "{\"name\":\"up\",\"time\":" + time + ",\"value\":" + value
                + ",\"labels\":{\"__name__\":\"up\",\"job\":\"node\"}}";
    }

    private static void write(Path object, List<String> lines) throws Exception {
        Files.createDirectories(object.getParent());
        Files.writeString(object, String.join("\n", lines) + "\n");
    }

    private static void compact(Path raw, Path compacted, Path work) throws Exception {
        ServedArchive.compact(raw, compacted, work, "2026-11-27");
    }
}
