package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Bad requests get the status code that tells Prometheus to drop them, a reason, and nothing reaches the stream. */
class RefusalIT {

    private static final Map<String, String> REMOTE_WRITE = Map.of("Content-Encoding", "snappy",
            "Content-Type", "application/x-protobuf");

    private static Deployment it;
    private static Endpoint adapter;
    private List<String> mark;

    @BeforeAll
    static void start() throws Exception {
        it = Deployment.inProcess("RefusalIT", 1, Map.of(
                "MAX_BODY_BYTES", "200000", "MAX_DECOMPRESSED_BYTES", "2000000", "MAX_SAMPLES_PER_REQUEST", "1000",
                "MAX_INFLIGHT_BYTES", "12000000"));
        adapter = it.adapter;
    }

    @AfterAll
    static void stop() throws Exception {
        it.close();
    }

    @BeforeEach
    void markTheStream() {
        mark = it.mark();
    }

    @AfterEach
    void nothingReachedTheStream() {
        assertEquals(List.of(), it.arrivedSince(mark));
    }

    @Test
    void bytesThatAreNotSnappyAre400() throws Exception {
        assertRefused(400, "InvalidSnappyException", adapter.remoteWrite("/receive", "not snappy".getBytes()));
        assertRefused(400, "InvalidSnappyException", adapter.remoteWrite("/receive", new byte[0]));
    }

    @Test
    void truncatedSnappyIs400() throws Exception {
        byte[] fixture = RemoteWriteBodies.fixture();

        assertRefused(400, "InvalidSnappyException",
                adapter.remoteWrite("/receive", Arrays.copyOf(fixture, fixture.length / 2)));
    }

    @Test
    void snappyOfSomethingThatIsNotAWriteRequestIs400() throws Exception {
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);

        assertRefused(400, "InvalidProtocolBufferException", adapter.remoteWrite("/receive", Snappy.compress(random)));
    }

    @Test
    void truncatedProtobufIs400() throws Exception {
        byte[] message = Snappy.uncompress(RemoteWriteBodies.fixture());

        assertRefused(400, "InvalidProtocolBufferException", adapter.remoteWrite("/receive",
                Snappy.compress(Arrays.copyOf(message, message.length - 3))));
    }

    @Test
    void invalidUtf8InALabelIs400() throws Exception {
        // WriteRequest{timeseries{labels{name:"a" value:<0xff 0xfe>}}} written by hand
        byte[] message = {0x0a, 0x09, 0x0a, 0x07, 0x0a, 0x01, 'a', 0x12, 0x02, (byte) 0xff, (byte) 0xfe};

        assertRefused(400, "InvalidProtocolBufferException", adapter.remoteWrite("/receive", Snappy.compress(message)));
    }

    @Test
    void aSnappyHeaderDeclaringMoreThanTheLimitIs413() throws Exception {
        assertRefused(413, "MAX_DECOMPRESSED_BYTES", adapter.remoteWrite("/receive", Snappy.compress(new byte[2_000_001])));
        byte[] claimsGigabytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x0f, 0, 0};
        assertRefused(413, "MAX_DECOMPRESSED_BYTES", adapter.remoteWrite("/receive", claimsGigabytes));
    }

    @Test
    void aRequestThatWouldTakeMoreThanTheWholeMemoryBudgetIs413BeforeItIsDecompressed() throws Exception {
        // 1.8 MB declared, under MAX_DECOMPRESSED_BYTES, is about 14 MB once decoded: over the 12 MB budget
        assertRefused(413, "MAX_INFLIGHT_BYTES", adapter.remoteWrite("/receive", Snappy.compress(new byte[1_800_000])));
    }

    @Test
    void aBodyOverTheLimitIs413LikeEveryRefusal() throws Exception {
        byte[] large = new byte[200_001];
        new Random(1).nextBytes(large);
        double before = refusals(413);

        assertRefused(413, "MAX_BODY_BYTES", adapter.remoteWrite("/receive", large));
        assertEquals(before + 1, refusals(413), "counted");
        assertTrue(adapter.log().contains("refused with 413 /receive: body larger than MAX_BODY_BYTES"), adapter.log());
    }

    @Test
    void aSampleWhoseLineExceedsTheKinesisRecordLimitIs400AndNothingOfItsRequestIsWritten() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(TimeSeries.newBuilder().addLabels(label("__name__", "fine"))
                        .addSamples(sample(1, 1)))
                .addTimeseries(TimeSeries.newBuilder().addLabels(label("__name__", "huge"))
                        .addLabels(label("blob", "x".repeat(1_100_000))).addSamples(sample(1, 1)))
                .build();

        assertRefused(400, "RecordTooLargeException", adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)));
    }

    @Test
    void emptyOrDuplicateLabelNamesAre400() throws Exception {
        for (List<String> names : List.of(List.of("", "job"), List.of("__name__", "job", "job"))) {
            TimeSeries.Builder series = TimeSeries.newBuilder().addSamples(sample(1, 1));
            names.forEach(name -> series.addLabels(label(name, "v")));
            WriteRequest request = WriteRequest.newBuilder()
                    .addTimeseries(TimeSeries.newBuilder().addLabels(label("__name__", "fine")).addSamples(sample(1, 1)))
                    .addTimeseries(series).build();

            assertRefused(400, "InvalidSeriesException", adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)));
        }
    }

    @Test
    void moreSamplesThanTheLimitAre413() throws Exception {
        assertRefused(413, "MAX_SAMPLES_PER_REQUEST", adapter.remoteWrite("/receive",
                RemoteWriteBodies.snappy(RemoteWriteBodies.generated("too-many", 1, 1001, 1))));
    }

    @Test
    void unsupportedEncodingsAndContentTypesAre415() throws Exception {
        byte[] body = RemoteWriteBodies.fixture();
        assertRefused(415, "Content-Encoding", adapter.send("/receive", "POST", body,
                Map.of("Content-Encoding", "gzip", "Content-Type", "application/x-protobuf")));
        assertRefused(415, "Content-Encoding", adapter.send("/receive", "POST", body,
                Map.of("Content-Type", "application/x-protobuf")));
        assertRefused(415, "Content-Type", adapter.send("/receive", "POST", body,
                Map.of("Content-Encoding", "snappy", "Content-Type", "application/json")));
        assertRefused(415, "Content-Type", adapter.send("/api/v1/write", "POST", body,
                Map.of("Content-Encoding", "snappy",
                        "Content-Type", "application/x-protobuf;proto=io.prometheus.write.v3.Request")));
    }

    @Test
    void methodsOtherThanPostAre405WithAllowLikeEveryRefusal() throws Exception {
        double before = refusals(405);
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpResponse<String> response = adapter.send("/receive", method, new byte[0], Map.of());
            assertRefused(405, "use POST", response);
            assertEquals("POST", response.headers().firstValue("Allow").orElse("missing"), method);
        }
        assertRefused(405, "use POST", adapter.send("/api/v1/write", "GET", new byte[0], REMOTE_WRITE));
        assertEquals(before + 4, refusals(405), "counted");
        assertTrue(adapter.log().contains("refused with 405 /api/v1/write: method GET not allowed"), adapter.log());
    }

    @Test
    void refusalsAreLoggedWithTheirReasonAtMostOnceInAFewSeconds() throws Exception {
        Thread.sleep(5_100); // a fresh interval for this kind of refusal
        double before = refusals(415);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add("application/x-" + UUID.randomUUID());
            adapter.send("/receive", "POST", RemoteWriteBodies.fixture(),
                    Map.of("Content-Encoding", "snappy", "Content-Type", tokens.get(i)));
        }
        assertEquals(before + 20, refusals(415), "every one counted");
        List<String> lines = adapter.log().lines().filter(l -> tokens.stream().anyMatch(l::contains)).toList();
        assertEquals(1, lines.size(), adapter.log());
        assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("refused with 415 /receive")
                && lines.get(0).contains(tokens.get(0)), lines.get(0));

        Thread.sleep(5_100);
        String next = "application/x-" + UUID.randomUUID();
        adapter.send("/receive", "POST", RemoteWriteBodies.fixture(), Map.of("Content-Encoding", "snappy",
                "Content-Type", next));
        List<String> after = adapter.log().lines().filter(l -> l.contains(next)).toList();
        assertEquals(1, after.size(), adapter.log());
        assertTrue(after.get(0).contains("(and 19 more like it in the last 5 s)"), after.get(0));
    }

    /** prometheus_remote_kinesis_requests_total{code="..."} as /observe/metrics says now. */
    private static double refusals(int code) throws Exception {
        String metrics = adapter.send("/observe/metrics", "GET", new byte[0], Map.of()).body();
        return metrics.lines().filter(l -> l.startsWith("prometheus_remote_kinesis_requests_total{")
                        && l.contains("code=\"" + code + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static void assertRefused(int status, String reason, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(reason), "reason in body: " + response.body());
        assertEquals(1, response.body().strip().lines().count(), "one line: " + response.body());
        assertTrue(response.headers().firstValue("content-encoding").isEmpty(), "request header echoed");
        for (String written : List.of("Samples", "Histograms", "Exemplars")) {
            assertEquals("0", response.headers().firstValue("X-Prometheus-Remote-Write-" + written + "-Written")
                    .orElse("missing"), written + " written");
        }
    }
}
