package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * The compacted archive answers PromQL exactly as Prometheus does. Two days of an archive laid out as a real
 * Firehose lays one out ({@link FirehoseArchive}: four shards, one two hours late, records stored twice, data
 * resent later, a quarter of the plain objects in Parquet; pods replaced, so their series end with a staleness
 * marker; an error counter that comes and goes, stale between; pods restarted in place, so their counters and
 * histograms reset; classic histograms; NaN and ±Inf) are compacted ({@code compact --day FIRST..LAST}), then:
 * <ul>
 * <li>Prometheus A (Debian's 2.42, {@code --web.enable-remote-write-receiver}) holds the same days: the raw
 *     archive restored into it by {@code restore --start --end} over remote write. Not backfilled with promtool
 *     from {@code export}: OpenMetrics cannot carry staleness markers, so A would keep every ended series alive
 *     for five minutes of lookback where the archive ends it. A fresh Prometheus takes days-old samples as long
 *     as they come in time order within about an hour of its newest, which the restore guarantees
 *     (docs/restore.md): no out-of-order window, no special start time. A's own remote read gives back every
 *     sample of the days bit for bit, staleness markers included, and nothing else;
 * <li>Prometheus B is empty and reads everything through {@code remote_read} ({@code read_recent: true}) from
 *     {@code serve-archive --from COMPACTED};
 * <li>the same PromQL, instant and range, goes to both: the same series (labels) must come back, each with the
 *     same timestamps and values (equal, or within a relative 1e-12 for sums whose order may differ; NaN equals
 *     NaN), and B's answer without warnings (Prometheus turns a remote-read failure into a warning, not an
 *     error). Each query must return something from A (absent() of a present series excepted), the data must
 *     hold what makes it hard (staleness-marked gaps, ended series, counter resets), and a deliberately shifted
 *     query on B must be told apart from A's: the comparison is not vacuous;
 * <li>serve-archive's own answers: a body that is not snappy, or not a ReadRequest, is 400 with a message; a
 *     query without matchers, or over a time without data, is 200 with an empty result; every sample of the days
 *     comes back bit for bit, staleness markers included.
 * </ul>
 */
class RemoteReadIT {

    private static final String FIRST_DAY = "2026-11-25";
    private static final String LAST_DAY = "2026-11-26";
    private static final long DAYS_START = Instant.parse(FIRST_DAY + "T00:00:00Z").toEpochMilli();
    /** The last millisecond of the last day. */
    private static final long DAYS_END = Instant.parse(LAST_DAY + "T00:00:00Z").plus(Duration.ofDays(1)).toEpochMilli()
            - 1;
    /** One hour of data before the first day, one after the last (late data under the next day's prefixes). */
    private static final long ARCHIVE_END = DAYS_END + 1 + Duration.ofHours(1).toMillis();
    private static final Duration SPAN = Duration.ofHours(50);
    private static final long SEED = 20261125;
    private static final double TOLERANCE = 1e-12;
    private static final long LOOKBACK_MS = Duration.ofMinutes(5).toMillis();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temporary;
    private static FirehoseArchive.Written archive;
    private static Path compacted;
    private static Prometheus a;
    private static long started;
    /** The series that show what the data holds, found in the truth. */
    private static Marked reset;
    private static Marked gap;
    private static Marked ended;

    /** serve-archive and Prometheus B, started by the first test that needs them. */
    private static Process server;
    private static URI serverUri;
    private static Prometheus b;
    private static String notServing;

    /** A series of the truth and a time that matters in it: where it resets, where its gap begins, where it ends. */
    private record Marked(FirehoseArchive.Series series, long time, long until) {
    }

    @BeforeAll
    static void archiveCompactedAndPrometheusAFilled() throws Exception {
        assertTrue(Files.isExecutable(Prometheus.BINARY), "needs Debian's prometheus package; bin/test installs it");
        started = System.nanoTime();
        Path raw = Files.createDirectory(temporary.resolve("archive"));
        archive = new FirehoseArchive(SEED).series(130).interval(Duration.ofMinutes(1)).span(SPAN).end(ARCHIVE_END)
                .restarts(true).parquet(0.25, FirehoseParquet::write).write(raw);
        System.out.printf("RemoteReadIT: %s, %d samples in the days, written in %.1f s%n", archive,
                archive.points().filter(inDays()).count(), seconds());
        assertTrue(archive.duplicatesInALaterObject > 0 && archive.resentSamples > 0, "the archive is as hard as meant");
        findWhatMakesItHard();

        compacted = temporary.resolve("compacted");
        ArchiveCommand.Run compact = ArchiveCommand.run(List.of(), List.of("compact", "--from", raw.toString(),
                        "--to", compacted.toString(), "--day", FIRST_DAY + ".." + LAST_DAY, "--tmp-dir", runs()),
                Map.of(), log("compact"), Duration.ofMinutes(3));
        ArchiveCommand.assertClean(compact);
        for (String day : List.of(FIRST_DAY, LAST_DAY)) {
            assertTrue(Files.isRegularFile(compacted.resolve("dt=" + day + "/part-0.parquet")), day + " compacted");
            assertTrue(Files.isRegularFile(compacted.resolve("dt=" + day + "/_series.json.gz")), day + "'s index");
        }
        System.out.printf("RemoteReadIT: compacted %s..%s, %.1f s%n", FIRST_DAY, LAST_DAY, seconds());

        a = Prometheus.receiver("RemoteReadIT-a");
        a.awaitReady();
        ArchiveCommand.Run restore = ArchiveCommand.run(List.of(), List.of("restore", "--from", raw.toString(),
                        "--to", a.receiver().toString(), "--start", String.valueOf(DAYS_START), "--end",
                        String.valueOf(DAYS_END), "--tmp-dir", runs()), Map.of(), log("restore-a"),
                Duration.ofMinutes(3));
        ArchiveCommand.assertClean(restore);
        System.out.printf("RemoteReadIT: Prometheus A filled by restore, %.1f s%n", seconds());
    }

    /** Counter resets, staleness-marked gaps and ended series are in the compacted days, or the test is vacuous. */
    private static void findWhatMakesItHard() {
        long staleInDays = archive.points().filter(inDays()).filter(FirehoseArchive.Point::stale).count();
        long resets = 0;
        for (FirehoseArchive.Series series : archive.series) {
            String name = series.labels.get("__name__");
            List<FirehoseArchive.Point> points = series.points().filter(inDays()).toList();
            double previous = Double.NaN;
            for (int i = 0; i < points.size(); i++) {
                FirehoseArchive.Point point = points.get(i);
                double value = Double.longBitsToDouble(point.valueBits());
                boolean counter = name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count");
                if (counter && !point.stale() && value < previous) {
                    resets++;
                    if (reset == null && name.equals("process_cpu_seconds_total") && inner(point.time())) {
                        reset = new Marked(series, point.time(), point.time());
                    }
                }
                previous = point.stale() ? Double.NaN : value;
                if (point.stale() && inner(point.time())) {
                    FirehoseArchive.Point next = i + 1 < points.size() ? points.get(i + 1) : null;
                    if (gap == null && next != null && name.equals("http_requests_total")) {
                        gap = new Marked(series, point.time(), next.time());
                    }
                    if (ended == null && next == null && name.equals("process_resident_memory_bytes")) {
                        ended = new Marked(series, point.time(), point.time());
                    }
                }
            }
        }
        System.out.printf("RemoteReadIT: in the days %d staleness markers, %d counter resets; a reset %s @%s, a gap"
                + " %s %s..%s, an ended series %s @%s%n", staleInDays, resets, reset == null ? null
                : reset.series.selector(), reset == null ? null : Instant.ofEpochMilli(reset.time), gap == null ? null
                : gap.series.selector(), gap == null ? null : Instant.ofEpochMilli(gap.time), gap == null ? null
                : Instant.ofEpochMilli(gap.until), ended == null ? null : ended.series.selector(), ended == null ? null
                : Instant.ofEpochMilli(ended.time));
        long counterResets = resets;
        assertAll(() -> assertTrue(staleInDays > 0, "staleness markers in the days"),
                () -> assertTrue(counterResets > 0, "counter resets in the days"),
                () -> assertNotNull(reset, "a process_cpu_seconds_total that resets inside the days"),
                () -> assertNotNull(gap, "an http_requests_total with a staleness-marked gap inside the days"),
                () -> assertNotNull(ended, "a pod replaced inside the days: its series ends with a staleness marker"));
    }

    /** At least two hours from the days' edges, so a query around it stays inside them. */
    private static boolean inner(long time) {
        return time >= DAYS_START + Duration.ofHours(2).toMillis() && time <= DAYS_END - Duration.ofHours(2).toMillis();
    }

    @AfterAll
    static void stop() throws Exception {
        // Prometheus before the server it reads from; each is killed when slow to stop (2.42 can hang on SIGTERM)
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        System.out.printf("RemoteReadIT: %.1f s in all%n", seconds());
    }

    @Test
    void prometheusAHoldsExactlyTheCompactedDaysWithTheirGapsEndsAndResets() throws Exception {
        // A's own remote read: every sample bit for bit, staleness markers included (a range selector hides them),
        // but for -0, which Go's protobuf does not send (a double equal to 0 is left out)
        Set<String> expected = truth(p -> true, false);
        Set<String> inA = samples(read(a.uri(), everySample()), false);
        JsonNode resets = a.api("/api/v1/query", Map.of("query", "resets(" + reset.series.selector() + "[2d])",
                "time", seconds(DAYS_END)));
        // the ended series is gone at its marker, not five minutes of lookback later
        JsonNode endedAt = a.api("/api/v1/query", Map.of("query", ended.series.selector(), "time",
                seconds(ended.time)));
        JsonNode beforeEnd = a.api("/api/v1/query", Map.of("query", ended.series.selector(), "time",
                seconds(ended.time - 1)));
        JsonNode inGap = a.api("/api/v1/query", Map.of("query", gap.series.selector(), "time", seconds(gap.time + 1)));
        JsonNode outside = a.api("/api/v1/query", Map.of("query", "count({__name__=~\".+\"})", "time",
                seconds(DAYS_START - LOOKBACK_MS / 2)));
        assertAll(() -> ArchiveCommand.assertSameSamples(expected, inA, "the days' samples in A, by remote read"),
                () -> assertTrue(number(resets) >= 1, "A sees the reset: " + resets),
                () -> assertEquals(1, beforeEnd.get("data").get("result").size(), beforeEnd.toString()),
                () -> assertEquals(0, endedAt.get("data").get("result").size(), endedAt.toString()),
                () -> assertEquals(0, inGap.get("data").get("result").size(), inGap.toString()),
                () -> assertEquals(0, outside.get("data").get("result").size(), "nothing before the days: " + outside));
    }

    /** A PromQL query: at one time, or over a range with a step (query_range). */
    private record Query(String name, String expression, long time, long end, Duration step, boolean emptyExpected) {

        static Query at(String name, String expression, String time) {
            return new Query(name, expression, millis(time), 0, null, false);
        }

        static Query over(String name, String expression, String start, String end, Duration step) {
            return new Query(name, expression, millis(start), millis(end), step, false);
        }

        Query expectingNothing() {
            return new Query(name, expression, time, end, step, true);
        }

        Query withExpression(String other) {
            return new Query(name, other, time, end, step, emptyExpected);
        }

        JsonNode on(Prometheus prometheus) throws Exception {
            if (step == null) {
                return prometheus.api("/api/v1/query", Map.of("query", expression, "time", seconds(time)));
            }
            return prometheus.api("/api/v1/query_range", Map.of("query", expression, "start", seconds(time), "end",
                    seconds(end), "step", String.valueOf(step.toSeconds())));
        }

        String when() {
            return step == null ? Instant.ofEpochMilli(time).toString() : Instant.ofEpochMilli(time) + ".."
                    + Instant.ofEpochMilli(end) + " step " + step.toSeconds() + "s";
        }

        private static long millis(String time) {
            return time.length() == 10 ? Instant.parse(time + "T00:00:00Z").toEpochMilli()
                    : Instant.parse(time).toEpochMilli();
        }
    }

    private static List<Query> queries() {
        String resetAt = Instant.ofEpochMilli(reset.time).toString();
        String resetFrom = Instant.ofEpochMilli(reset.time - Duration.ofHours(1).toMillis()).toString();
        String resetTo = Instant.ofEpochMilli(reset.time + Duration.ofHours(1).toMillis()).toString();
        String gapFrom = Instant.ofEpochMilli(gap.time - Duration.ofHours(1).toMillis()).toString();
        String gapTo = Instant.ofEpochMilli(gap.until + Duration.ofHours(1).toMillis()).toString();
        String endFrom = Instant.ofEpochMilli(ended.time - Duration.ofMinutes(30).toMillis()).toString();
        String endTo = Instant.ofEpochMilli(ended.time + Duration.ofMinutes(30).toMillis()).toString();
        Duration minute = Duration.ofMinutes(1);
        Duration fiveMinutes = Duration.ofMinutes(5);
        Duration hour = Duration.ofHours(1);
        return List.of(
                Query.over("rate", "rate(node_network_receive_bytes_total[5m])",
                        "2026-11-25T06:00:00Z", "2026-11-25T18:00:00Z", minute),
                Query.over("increase across midnight", "increase(http_requests_total{code=\"200\"}[1h])",
                        "2026-11-25T01:00:00Z", "2026-11-26T23:00:00Z", hour),
                Query.at("irate", "irate(node_cpu_seconds_total{mode=\"user\"}[5m])", "2026-11-26T09:30:17.500Z"),
                Query.over("avg_over_time", "avg_over_time(node_load1[1h])",
                        "2026-11-26T00:00:00Z", "2026-11-26T23:55:00Z", fiveMinutes),
                Query.at("max_over_time", "max_over_time(process_resident_memory_bytes[30m])", "2026-11-25T15:45:00Z"),
                Query.over("count_over_time, come and go", "count_over_time(http_requests_total{code=\"500\"}[1h])",
                        "2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z", fiveMinutes),
                Query.over("histogram_quantile", "histogram_quantile(0.99, sum by (le) "
                        + "(rate(http_request_duration_seconds_bucket[5m])))",
                        "2026-11-25T12:00:00Z", "2026-11-26T12:00:00Z", fiveMinutes),
                Query.at("histogram_quantile by handler", "histogram_quantile(0.5, sum by (le, handler) "
                        + "(rate(http_request_duration_seconds_bucket{handler=\"/api/cart\"}[10m])))",
                        "2026-11-26T18:00:00Z"),
                Query.over("sum by", "sum by (mode) (rate(node_cpu_seconds_total[5m]))",
                        "2026-11-25T00:30:00Z", "2026-11-26T23:30:00Z", hour),
                Query.at("sum without", "sum without (cpu, mode) (rate(node_cpu_seconds_total[5m]))",
                        "2026-11-26T03:00:00Z"),
                Query.over("offset 1d", "rate(node_network_receive_bytes_total[10m] offset 1d)",
                        "2026-11-26T06:00:00Z", "2026-11-26T12:00:00Z", fiveMinutes),
                Query.at("offset difference", "node_load1 - node_load1 offset 1h", "2026-11-25T20:00:00Z"),
                Query.over("=~ and !~", "http_requests_total{handler=~\"/api/(orders|cart)\", code!~\"5..\"}",
                        "2026-11-25T08:00:00Z", "2026-11-25T10:00:00Z", minute),
                Query.at("name regex, !=", "{__name__=~\"node_(load1|hwmon_temp_celsius)\", job!=\"api\"}",
                        "2026-11-26T16:20:00Z"),
                Query.at("absent of a missing series", "absent(nonexistent_metric_total{job=\"node\"})",
                        "2026-11-25T12:00:00Z"),
                Query.at("absent of a present series", "absent(node_load1)", "2026-11-25T12:00:00Z")
                        .expectingNothing(),
                Query.over("stale-marked gap", gap.series.selector(), gapFrom, gapTo, minute),
                Query.over("series ended by a marker", ended.series.selector(), endFrom, endTo, Duration.ofSeconds(15)),
                Query.over("rate over a counter reset", "rate(" + reset.series.selector() + "[5m])",
                        resetFrom, resetTo, minute),
                Query.at("resets", "resets(http_request_duration_seconds_count[1d])", resetAt),
                Query.over("count by", "count by (job) ({__name__=~\"node_.+|http_.+\"})",
                        "2026-11-25T00:00:00Z", "2026-11-26T23:00:00Z", hour),
                Query.over("topk", "topk(3, rate(node_network_receive_bytes_total[5m]))",
                        "2026-11-26T10:00:00Z", "2026-11-26T14:00:00Z", fiveMinutes),
                Query.at("raw samples", "node_load1[10m]", "2026-11-26T12:00:00Z"),
                Query.over("NaN, ±Inf, extremes", "max_over_time(app_extreme_values[15m])",
                        "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", minute),
                Query.over("real NaN", "avg_over_time(cache_hit_ratio[3m])",
                        "2026-11-26T20:00:00Z", "2026-11-26T21:00:00Z", minute),
                Query.over("the days' edge", "count(node_load1)",
                        "2026-11-26T23:00:00Z", "2026-11-27T01:00:00Z", minute),
                Query.at("raw samples of every node_ metric", "{__name__=~\"node_.+\"}[3h]", "2026-11-26T07:00:00Z"));
    }

    @Test
    void everyQueryAnswersTheSameFromTheCompactedArchiveAsFromPrometheus() throws Exception {
        // A first: each query must answer something there (or nothing, where that is the point), or it proves nothing
        List<Query> queries = queries();
        List<Answer> fromA = new ArrayList<>();
        List<Long> millisOnA = new ArrayList<>();
        List<String> notAsExpectedOnA = new ArrayList<>();
        for (Query query : queries) {
            long asked = System.nanoTime();
            Answer answer = Answer.of(query.on(a));
            millisOnA.add((System.nanoTime() - asked) / 1_000_000);
            fromA.add(answer);
            if (answer.error != null || query.emptyExpected != (answer.points() == 0)) {
                notAsExpectedOnA.add(query.name + ": " + (answer.error != null ? answer.error : answer.points()
                        + " points"));
            }
        }
        assertEquals(List.of(), notAsExpectedOnA, "A answers each query as expected (else the comparison is vacuous)");

        Prometheus b = prometheusB();
        long queriesStarted = System.nanoTime();
        List<String> differences = new ArrayList<>();
        System.out.printf("%-32s %-6s | %-22s | %-22s | %s%n", "query", "type", "A series points ms",
                "B series points ms", "same?");
        for (int i = 0; i < queries.size(); i++) {
            Query query = queries.get(i);
            long asked = System.nanoTime();
            Answer fromB = Answer.of(query.on(b));
            long millisOnB = (System.nanoTime() - asked) / 1_000_000;
            String difference = fromA.get(i).differenceTo(fromB);
            System.out.printf("%-32s %-6s | %5d %9d %6d | %5d %9d %6d | %s%n", query.name, fromA.get(i).type,
                    fromA.get(i).series.size(), fromA.get(i).points(), millisOnA.get(i), fromB.series.size(),
                    fromB.points(), millisOnB, difference == null ? "same" : "DIFFERENT");
            if (difference != null) {
                differences.add(query.name + " (" + query.expression + " at " + query.when() + "): " + difference);
            }
        }
        System.out.printf("RemoteReadIT: %d queries on B in %.1f s%n", queries.size(),
                (System.nanoTime() - queriesStarted) / 1e9);
        differences.forEach(d -> System.out.println("RemoteReadIT: DIFFERENT " + d));

        // the comparison can fail: B a minute behind A is told apart
        Query rate = queries.get(0);
        String shifted = fromA.get(0).differenceTo(Answer.of(rate.withExpression(
                "rate(node_network_receive_bytes_total[5m] offset 1m)").on(b)));
        System.out.println("RemoteReadIT: the first query shifted by a minute on B: " + shifted);
        assertAll(() -> assertEquals(List.of(), differences, differences.size() + " queries answered differently"),
                () -> assertNotNull(shifted, "a query shifted by a minute on B differs from A's"));
    }

    @Test
    void serveArchiveAnswersBadBodies400AndEmptySelections200() throws Exception {
        prometheusB();
        byte[] notSnappy = "this is not a snappy block".getBytes(StandardCharsets.UTF_8);
        assertFalse(Snappy.isValidCompressedBuffer(notSnappy));
        HttpResponse<byte[]> badSnappy = read(serverUri, notSnappy);
        HttpResponse<byte[]> notProtobuf = read(serverUri, Snappy.compress(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2,
            3}));
        HttpResponse<byte[]> noMatchers = read(serverUri, Snappy.compress(readRequest(DAYS_START, DAYS_END)));
        HttpResponse<byte[]> noData = read(serverUri, Snappy.compress(readRequest(
                Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(), Instant.parse("2020-01-02T00:00:00Z").toEpochMilli(),
                0, "__name__", "node_load1")));
        HttpResponse<byte[]> oneMetric = read(serverUri, Snappy.compress(readRequest(DAYS_START, DAYS_END, 0,
                "__name__", "process_resident_memory_bytes")));
        HttpResponse<byte[]> everything = read(serverUri, everySample());
        // serve-archive sends -0 as it is; Prometheus' own remote read (the control) as 0
        boolean signedZero = !control();
        System.out.printf("RemoteReadIT: not snappy: %s; not a ReadRequest: %s; no matchers: %d; no data: %d%n",
                text(badSnappy), text(notProtobuf), noMatchers.statusCode(), noData.statusCode());
        assertAll(() -> assertEquals(400, badSnappy.statusCode(), text(badSnappy)),
                () -> assertFalse(text(badSnappy).isBlank(), "a message for a body that is not snappy"),
                () -> assertEquals(400, notProtobuf.statusCode(), text(notProtobuf)),
                () -> assertFalse(text(notProtobuf).isBlank(), "a message for a body that is not a ReadRequest"),
                () -> assertEquals(200, noMatchers.statusCode(), "Prometheus 2.42's own remote read answers a query"
                        + " without matchers 200 with no series (-DRemoteReadIT.readFrom=prometheus-a): "
                        + text(noMatchers)),
                () -> assertEquals(List.of(0), noMatchers.statusCode() == 200 ? seriesPerResult(noMatchers)
                        : List.of(0), "a query without matchers"),
                () -> assertEquals(200, noData.statusCode(), text(noData)),
                () -> assertEquals(List.of(0), noData.statusCode() == 200 ? seriesPerResult(noData) : List.of(0),
                        "a time without data"),
                () -> assertEquals(200, oneMetric.statusCode(), text(oneMetric)),
                () -> ArchiveCommand.assertSameSamples(truth(p -> p.series().labels.get("__name__")
                        .equals("process_resident_memory_bytes"), signedZero), samples(oneMetric, signedZero),
                        "process_resident_memory_bytes read from serve-archive, staleness markers included"),
                () -> assertEquals(200, everything.statusCode(), text(everything)),
                () -> ArchiveCommand.assertSameSamples(truth(p -> true, signedZero), samples(everything, signedZero),
                        "every sample of the days read from serve-archive"));
    }

    /**
     * serve-archive over the compacted days, and Prometheus B reading from it; fails the test when there is none.
     * With {@code -DRemoteReadIT.readFrom=prometheus-a}, B reads from Prometheus A's own remote read instead: a
     * control telling what remote read itself changes from what serve-archive does.
     */
    private static synchronized Prometheus prometheusB() throws Exception {
        if (notServing != null) {
            fail(notServing);
        }
        if (b != null) {
            return b;
        }
        if (control()) {
            // the control: B reading Prometheus A's own remote read, to tell serve-archive's differences from
            // remote read's own
            System.out.println("RemoteReadIT: B reads from Prometheus A's own /api/v1/read, not serve-archive");
            serverUri = a.uri();
            return startB();
        }
        int port = Ports.free();
        serverUri = URI.create("http://127.0.0.1:" + port);
        Path serverLog = log("serve-archive");
        server = ArchiveCommand.start(List.of(), List.of("serve-archive", "--from", compacted.toString()),
                Map.of("HTTP_HOST", "127.0.0.1", "HTTP_PORT", String.valueOf(port)), serverLog);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!server.isAlive()) {
                notServing = "serve-archive exited with " + server.exitValue() + " before answering /observe/health: "
                        + Files.readString(serverLog).strip();
                fail(notServing);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(serverUri.resolve("/observe/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline) {
                notServing = "serve-archive did not answer /observe/health 200 within 60 s: " + serverLog;
                fail(notServing);
            }
            Thread.sleep(200);
        }
        System.out.printf("RemoteReadIT: serve-archive up, %.1f s%n", seconds());
        return startB();
    }

    private static boolean control() {
        return "prometheus-a".equals(System.getProperty("RemoteReadIT.readFrom"));
    }

    private static Prometheus startB() throws Exception {
        b = Prometheus.configured("RemoteReadIT-b", String.join("\n",
                "global:",
                "  scrape_interval: 1h",
                "remote_read:",
                "  - url: " + serverUri.resolve("/api/v1/read"),
                "    read_recent: true",
                ""));
        b.awaitReady();
        return b;
    }

    /** A query's answer: its type, and each series' points (time in ms, value as the API writes it). */
    private record Answer(String type, Map<String, List<Point>> series, String error, String warnings) {

        record Point(long time, String value) {
        }

        static Answer of(JsonNode answer) {
            if (!"success".equals(answer.path("status").textValue())) {
                return new Answer("error", Map.of(), answer.path("errorType").asText() + ": "
                        + answer.path("error").asText(), null);
            }
            JsonNode data = answer.get("data");
            String type = data.get("resultType").textValue();
            Map<String, List<Point>> series = new TreeMap<>();
            JsonNode result = data.get("result");
            if (type.equals("scalar") || type.equals("string")) {
                series.put("(" + type + ")", List.of(point(result)));
            } else {
                for (JsonNode one : result) {
                    List<Point> points = new ArrayList<>();
                    if (one.has("values")) {
                        one.get("values").forEach(p -> points.add(point(p)));
                    } else {
                        points.add(point(one.get("value")));
                    }
                    assertNull(series.put(labels(one.get("metric")), points), "a series twice in " + answer);
                }
            }
            return new Answer(type, series, null, answer.has("warnings") ? answer.get("warnings").toString() : null);
        }

        private static Point point(JsonNode point) {
            return new Point(new BigDecimal(point.get(0).asText()).movePointRight(3).longValueExact(),
                    point.get(1).textValue());
        }

        private static String labels(JsonNode metric) {
            Map<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> label = it.next();
                labels.put(label.getKey(), label.getValue().textValue());
            }
            return labels.entrySet().stream().map(l -> l.getKey() + "=\"" + l.getValue() + "\"")
                    .collect(Collectors.joining(", ", "{", "}"));
        }

        long points() {
            return series.values().stream().mapToLong(List::size).sum();
        }

        /** Null when {@code other} (B's) is the same as this (A's), else where it first differs. */
        String differenceTo(Answer other) {
            if (other.error != null || error != null) {
                return "A: " + (error == null ? "success" : error) + "; B: " + (other.error == null ? "success"
                        : other.error);
            }
            if (other.warnings != null) {
                return "B warns " + other.warnings;
            }
            if (!type.equals(other.type)) {
                return "result type " + type + " on A, " + other.type + " on B";
            }
            if (!series.keySet().equals(other.series.keySet())) {
                Set<String> onlyA = new TreeSet<>(series.keySet());
                onlyA.removeAll(other.series.keySet());
                Set<String> onlyB = new TreeSet<>(other.series.keySet());
                onlyB.removeAll(series.keySet());
                return series.size() + " series on A, " + other.series.size() + " on B; only on A " + onlyA.size()
                        + ", e.g. " + onlyA.stream().limit(2).toList() + "; only on B " + onlyB.size() + ", e.g. "
                        + onlyB.stream().limit(2).toList();
            }
            int differentSeries = 0;
            String first = null;
            for (Map.Entry<String, List<Point>> one : series.entrySet()) {
                String difference = difference(one.getValue(), other.series.get(one.getKey()));
                if (difference != null) {
                    differentSeries++;
                    first = first == null ? one.getKey() + ": " + difference : first;
                }
            }
            return first == null ? null : differentSeries + " of " + series.size() + " series differ; first "
                    + first;
        }

        private static String difference(List<Point> onA, List<Point> onB) {
            for (int i = 0; i < Math.min(onA.size(), onB.size()); i++) {
                Point x = onA.get(i);
                Point y = onB.get(i);
                if (x.time != y.time || !same(x.value, y.value)) {
                    return "point " + i + ": A " + x.value + " @" + Instant.ofEpochMilli(x.time) + ", B " + y.value
                            + " @" + Instant.ofEpochMilli(y.time);
                }
            }
            if (onA.size() != onB.size()) {
                int i = Math.min(onA.size(), onB.size());
                return onA.size() + " points on A, " + onB.size() + " on B; first extra "
                        + (onA.size() > i ? "on A " + onA.get(i) : "on B " + onB.get(i));
            }
            return null;
        }

        /** Equal, or within a relative 1e-12 (sums in another order); NaN equals NaN. */
        private static boolean same(String x, String y) {
            if (x.equals(y)) {
                return true;
            }
            double u = value(x);
            double v = value(y);
            if (Double.isNaN(u) || Double.isNaN(v) || Double.isInfinite(u) || Double.isInfinite(v)) {
                return Double.compare(u, v) == 0;
            }
            return Math.abs(u - v) <= TOLERANCE * Math.max(Math.abs(u), Math.abs(v));
        }

        private static double value(String text) {
            return switch (text) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        }
    }

    /** A POST to a remote-read endpoint (base/api/v1/read), as Prometheus' remote-read client sends one. */
    private static HttpResponse<byte[]> read(URI base, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v1/read"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * A ReadRequest of one query (prompb/remote.proto: Query{start_timestamp_ms = 1, end_timestamp_ms = 2,
     * repeated LabelMatcher matchers = 3}, LabelMatcher{type = 1 (EQ 0, NEQ 1, RE 2, NRE 3), name = 2, value = 3}),
     * accepting SAMPLES; matchers as (type, name, value) triples. Written by hand: the project has the write side
     * of prompb only.
     */
    private static byte[] readRequest(long start, long end, Object... matchers) throws IOException {
        ByteArrayOutputStream query = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(query);
        out.writeInt64(1, start);
        out.writeInt64(2, end);
        for (int i = 0; i < matchers.length; i += 3) {
            ByteArrayOutputStream matcher = new ByteArrayOutputStream();
            CodedOutputStream m = CodedOutputStream.newInstance(matcher);
            m.writeEnum(1, (Integer) matchers[i]);
            m.writeString(2, (String) matchers[i + 1]);
            m.writeString(3, (String) matchers[i + 2]);
            m.flush();
            out.writeBytes(3, ByteString.copyFrom(matcher.toByteArray()));
        }
        out.flush();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        CodedOutputStream r = CodedOutputStream.newInstance(request);
        r.writeBytes(1, ByteString.copyFrom(query.toByteArray()));
        r.writeEnum(2, 0);
        r.flush();
        return request.toByteArray();
    }

    /** A SAMPLES ReadResponse (results = 1, each QueryResult's timeseries = 1): each result's series. */
    private static List<List<TimeSeries>> results(HttpResponse<byte[]> answer) throws IOException {
        assertEquals(200, answer.statusCode(), text(answer));
        List<List<TimeSeries>> results = new ArrayList<>();
        CodedInputStream response = CodedInputStream.newInstance(Snappy.uncompress(answer.body()));
        for (int tag = response.readTag(); tag != 0; tag = response.readTag()) {
            if (tag >>> 3 != 1) {
                response.skipField(tag);
                continue;
            }
            List<TimeSeries> series = new ArrayList<>();
            CodedInputStream result = CodedInputStream.newInstance(response.readByteArray());
            for (int inner = result.readTag(); inner != 0; inner = result.readTag()) {
                if (inner >>> 3 == 1) {
                    series.add(TimeSeries.parseFrom(result.readByteArray()));
                } else {
                    result.skipField(inner);
                }
            }
            results.add(series);
        }
        return results;
    }

    /** A ReadRequest of every series over the days, snappy-compressed. */
    private static byte[] everySample() throws IOException {
        return Snappy.compress(readRequest(DAYS_START, DAYS_END, 2, "__name__", ".+"));
    }

    /** The truth's samples of the days, as {@link #samples} gives them. */
    private static Set<String> truth(Predicate<FirehoseArchive.Point> kept, boolean signedZero) {
        Set<String> samples = new HashSet<>();
        archive.points().filter(inDays().and(kept)).forEach(p -> samples.add(p.series().text + " @" + p.time() + " "
                + bits(p.valueBits(), signedZero)));
        return samples;
    }

    /** A value's bits in hex; -0 as 0 unless {@code signedZero}. */
    private static String bits(long bits, boolean signedZero) {
        return Long.toHexString(!signedZero && bits == Long.MIN_VALUE ? 0 : bits);
    }

    private static List<Integer> seriesPerResult(HttpResponse<byte[]> answer) throws IOException {
        return results(answer).stream().map(List::size).toList();
    }

    /** Each sample as "labels @time bits", labels sorted by name as the truth writes them. */
    private static Set<String> samples(HttpResponse<byte[]> answer, boolean signedZero) throws IOException {
        Set<String> samples = new HashSet<>();
        for (List<TimeSeries> result : results(answer)) {
            for (TimeSeries series : result) {
                Map<String, String> labels = new TreeMap<>();
                for (Label label : series.getLabelsList()) {
                    labels.put(label.getName(), label.getValue());
                }
                String text = labels.entrySet().stream().map(l -> l.getKey() + "=" + l.getValue())
                        .collect(Collectors.joining(","));
                for (Sample sample : series.getSamplesList()) {
                    samples.add(text + " @" + sample.getTimestamp() + " "
                            + bits(Double.doubleToRawLongBits(sample.getValue()), signedZero));
                }
            }
        }
        return samples;
    }

    private static String text(HttpResponse<byte[]> answer) {
        return answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8).strip();
    }

    private static double number(JsonNode answer) {
        JsonNode result = answer.get("data").get("result");
        assertEquals(1, result.size(), answer.toString());
        return Double.parseDouble(result.get(0).get("value").get(1).textValue());
    }

    private static Predicate<FirehoseArchive.Point> inDays() {
        return p -> p.time() >= DAYS_START && p.time() <= DAYS_END;
    }

    /** Unix seconds with milliseconds, as the API takes a time. */
    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    private static double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static Path log(String name) {
        return Path.of("target/it-logs/RemoteReadIT-" + name + ".log");
    }

    private static String runs() throws IOException {
        return Files.createDirectories(temporary.resolve("runs")).toString();
    }
}
