package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SINK=firehose, the released jar against the Firehose stand-in (no Firehose emulator runs here): what the
 * Kinesis path proves, proven for Firehose. Nothing answered 2xx is missing from the objects under rejected
 * entries and failed calls, and the objects restore sample by sample; an outage is 503 and recovers; SIGTERM
 * drains; calls stay within Firehose's limits; readiness follows DescribeDeliveryStream.
 */
class FirehoseIT {

    private static final Pattern OBJECT_KEY = Pattern.compile(
            "\\d{4}/\\d{2}/\\d{2}/\\d{2}/metrics-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}");

    @TempDir
    Path bucket;

    @Test
    void everySampleAnswered2xxIsInTheObjectsDespiteRejectionsAndFailedCallsAndRestoresExactly() throws Exception {
        try (FirehoseStandIn firehose = new FirehoseStandIn("metrics", bucket, 1 << 20, 7);
             Adapter adapter = start("FirehoseIT-faults", firehose, Map.of())) {
            firehose.rejectEntries = 0.2;
            firehose.failCalls = 0.05;
            DeliveryLedger ledger = new DeliveryLedger();
            List<WriteRequest> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WriteRequest request = RemoteWriteBodies.generated("firehose-" + i, 40, 50, i);
                sent.add(request);
                ledger.record(request, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode());
            }
            firehose.noFaults();

            List<Path> objects = firehose.objects();
            DeliveryLedger.Result result = ledger.reconcile(linesOf(objects));
            System.out.println("FirehoseIT: " + result + "; " + firehose.report());
            assertTrue(firehose.entriesRejected.sum() > 0 && firehose.callsFailed.sum() > 0, firehose.report());
            assertEquals(0, firehose.callsRefused.sum(), "every call within Firehose's limits: " + firehose.report());
            assertEquals(0, result.lost(), result.toString());
            assertEquals(20, result.requests2xx(), "retries absorb these fault rates within the deadline: " + result);
            assertEquals(0, result.duplicates(), "only rejected entries are resent: " + result);
            for (Path object : objects) {
                assertTrue(OBJECT_KEY.matcher(bucket.relativize(object).toString()).matches(), object.toString());
            }
            // packed by default: 40,000 lines in far fewer records, each billed in 5 KB steps
            assertTrue(firehose.recordsAccepted.sum() < 40_000 / 50, firehose.report());
            assertTrue(adapter.log().contains("Firehose rejected entries {ServiceUnavailableException="), "logged");

            Map<String, Double> metrics = MetricsIT.scrape(adapter);
            assertEquals((double) firehose.recordsAccepted.sum(),
                    metrics.get("prometheus_remote_kinesis_records_sent_total{sink=\"firehose\"}"));
            assertEquals((double) firehose.bytesAccepted.sum(),
                    metrics.get("prometheus_remote_kinesis_sent_bytes_total{sink=\"firehose\"}"));
            assertEquals((double) firehose.calls.sum(),
                    metrics.get("prometheus_remote_kinesis_putrecords_calls_total{sink=\"firehose\"}"));
            assertEquals((double) firehose.entriesRejected.sum(), metrics.get("prometheus_remote_kinesis_entries_failed"
                    + "_total{error_code=\"ServiceUnavailableException\",sink=\"firehose\"}"));

            try (ReceiverStandIn receiver = new ReceiverStandIn()) {
                Process restore = new ProcessBuilder(Adapter.java("-jar", Adapter.JAR.toAbsolutePath().toString(),
                        "restore", "--from", bucket.toString(), "--to", receiver.uri().toString()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertTrue(restore.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, restore.exitValue(), "restore read and delivered every object");
                assertEquals(expected(sent), receiver.accepted.stream()
                        .map(r -> r.labels() + " " + r.time() + " " + r.valueBits()).sorted().toList());
            }
        }
    }

    @Test
    void anOutageIs503WithRetryAfterAndDeliveryResumesWithoutARestart() throws Exception {
        try (FirehoseStandIn firehose = new FirehoseStandIn("metrics", bucket, 1 << 20, 11);
             Adapter adapter = start("FirehoseIT-outage", firehose, Map.of("DELIVERY_DEADLINE_MS", "2000"))) {
            firehose.outage = true;
            HttpResponse<String> down = adapter.remoteWrite("/receive",
                    RemoteWriteBodies.snappy(RemoteWriteBodies.generated("down", 2, 3, 2)));
            assertEquals(503, down.statusCode(), down.body());
            assertEquals("5", down.headers().firstValue("Retry-After").orElse(""));
            assertTrue(down.body().contains("not accepted before the delivery deadline"), down.body());

            firehose.noFaults();
            WriteRequest after = RemoteWriteBodies.generated("after", 2, 3, 3);
            assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(after)).statusCode());
            List<String> stored = linesOf(firehose.objects());
            assertTrue(stored.containsAll(SampleLines.sent(after)), "delivered after the outage");
        }
    }

    @Test
    void sigtermFinishesRequestsInFlightExitsZeroAndLosesNothingAnswered() throws Exception {
        try (FirehoseStandIn firehose = new FirehoseStandIn("metrics", bucket, 1 << 20, 13)) {
            firehose.delayMillis = 300;
            DeliveryLedger ledger = new DeliveryLedger();
            Adapter adapter = start("FirehoseIT-sigterm", firehose, Map.of());
            try {
                SteadySenders senders = new SteadySenders(adapter, ledger, "sigterm", 4);
                Thread.sleep(3000);
                adapter.terminate();
                int exit = adapter.awaitExit(Duration.ofSeconds(45));
                assertTrue(senders.stop());

                assertEquals(0, exit, adapter.log());
                DeliveryLedger.Result result = ledger.reconcile(linesOf(firehose.objects()));
                System.out.println("FirehoseIT SIGTERM: " + result);
                assertTrue(result.requests2xx() >= 8, "load was running: " + result);
                assertEquals(0, result.lost(), result.toString());
            } finally {
                adapter.close();
            }
        }
    }

    @Test
    void callsStayWithinFirehoseLimitsOfRecordsAndBytes() throws Exception {
        try (FirehoseStandIn firehose = new FirehoseStandIn("metrics", bucket.resolve("lines"), 1 << 20, 17);
             Adapter perLine = start("FirehoseIT-limits", firehose, Map.of("KINESIS_RECORD_MODE", "sample"))) {
            WriteRequest lines = RemoteWriteBodies.generated("per-line", 100, 20, 1); // 2,000 lines
            assertEquals(204, perLine.remoteWrite("/receive", RemoteWriteBodies.snappy(lines)).statusCode());
            assertEquals(4, firehose.calls.sum(), "2,000 records in calls of at most 500: " + firehose.report());
            assertEquals(2000, firehose.recordsAccepted.sum());
        }
        try (FirehoseStandIn firehose = new FirehoseStandIn("metrics", bucket.resolve("bytes"), 1 << 20, 19);
             Adapter large = start("FirehoseIT-bytes", firehose, Map.of("KINESIS_RECORD_MAX_BYTES", "1024000",
                     "KINESIS_RECORD_MAX_LINES", "100000"))) {
            WriteRequest big = RemoteWriteBodies.generated("four-mebibytes-and-more", 1000, 30, 2); // ~6 MB of lines
            assertEquals(204, large.remoteWrite("/receive", RemoteWriteBodies.snappy(big)).statusCode());
            assertEquals(0, firehose.callsRefused.sum(), firehose.report());
            assertTrue(firehose.calls.sum() >= 2 && firehose.largestCall.get() > 3 << 20
                    && firehose.largestCall.get() <= 4 << 20, "cut at 4 MiB per call: " + firehose.report());
            List<String> stored = linesOf(firehose.objects());
            assertEquals(30_000, stored.size());
            assertTrue(SampleLines.sent(big).equals(stored), "every line stored once");
        }
    }

    @Test
    void readyOnlyWhileTheFirehoseStreamIsActive() throws Exception {
        try (FirehoseStandIn firehose = new FirehoseStandIn("metrics", bucket, 1 << 20, 23)) {
            firehose.status = "CREATING";
            try (Adapter adapter = start("FirehoseIT-ready", firehose, Map.of())) {
                HttpResponse<String> health = adapter.send("/observe/health", "GET", new byte[0], Map.of());
                assertEquals(503, health.statusCode(), health.body());
                assertTrue(adapter.log().contains("Firehose stream metrics cannot take records: Firehose stream"
                        + " metrics is CREATING"), adapter.log());
                firehose.status = "ACTIVE";
                adapter.awaitReady(Duration.ofSeconds(30));
            }
        }
    }

    private Adapter start(String name, FirehoseStandIn firehose, Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("SINK", "firehose", "FIREHOSE_STREAM_NAME", "metrics",
                "FIREHOSE_ENDPOINT", firehose.endpoint(), "AWS_REGION", "eu-west-1"));
        all.putAll(settings);
        Adapter adapter = new Adapter(name, all);
        try {
            if (!"CREATING".equals(firehose.status)) {
                adapter.awaitReady(Duration.ofSeconds(60));
            } else {
                awaitLogged(adapter, "cannot take records");
            }
            return adapter;
        } catch (Exception | AssertionError e) {
            adapter.close();
            throw e;
        }
    }

    private static void awaitLogged(Adapter adapter, String text) throws Exception {
        for (int i = 0; i < 600 && !adapter.log().contains(text); i++) {
            Thread.sleep(100);
        }
    }

    /** Every JSON line of the objects, canonical and sorted; each object holds whole lines only. */
    private static List<String> linesOf(List<Path> objects) throws IOException {
        List<String> samples = new ArrayList<>();
        for (Path object : objects) {
            String text = Files.readString(object, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("\n"), object + " ends on a line boundary");
            for (String line : text.split("\n")) {
                samples.add(SampleLines.parse(line));
            }
        }
        samples.sort(null);
        return samples;
    }

    /** The samples as the receiver stand-in keeps them: labels as sent, time, the value's bits. */
    private static List<String> expected(List<WriteRequest> requests) {
        List<String> samples = new ArrayList<>();
        for (WriteRequest request : requests) {
            for (TimeSeries series : request.getTimeseriesList()) {
                String labels = series.getLabelsList().stream().map(l -> l.getName() + "=" + l.getValue())
                        .collect(Collectors.joining(","));
                for (Sample sample : series.getSamplesList()) {
                    samples.add(labels + " " + sample.getTimestamp() + " "
                            + Double.doubleToRawLongBits(sample.getValue()));
                }
            }
        }
        samples.sort(null);
        return samples;
    }
}
