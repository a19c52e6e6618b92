package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Throttled entries, failed calls and cut connections, injected by a proxy in front of kinesalite. */
class PartialFailureIT {

    private static Deployment it;
    private static FaultProxy proxy;
    private static Endpoint adapter;

    @BeforeAll
    static void start() throws Exception {
        it = Deployment.behindProxy("PartialFailureIT", 2, 42, Map.of());
        proxy = it.proxy;
        adapter = it.adapter;
    }

    @AfterAll
    static void stop() throws Exception {
        it.close();
    }

    @AfterEach
    void healProxy() {
        proxy.noFaults();
    }

    @Test
    void everySampleAnswered2xxIsInTheStreamDespiteThrottlingFailuresAndCutConnections() throws Exception {
        proxy.rejectEntries = 0.2;
        proxy.failCalls = 0.05;
        proxy.cutBeforeCall = 0.03;
        proxy.cutAfterCall = 0.03;
        List<String> mark = it.mark();
        DeliveryLedger ledger = new DeliveryLedger();

        for (int i = 0; i < 20; i++) {
            WriteRequest request = RemoteWriteBodies.generated("partial-" + i, 20, 50, i);
            ledger.record(request, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode());
        }
        proxy.noFaults();

        DeliveryLedger.Result result = ledger.reconcile(it.arrivedSince(mark));
        System.out.println("PartialFailureIT: " + result + "; " + proxy.report());
        assertTrue(proxy.entriesRejected.get() > 1000 && proxy.callsFailed.get() > 0
                && proxy.connectionsCut.get() > 0, "faults were injected: " + proxy.report());
        assertEquals(0, result.lost(), result.toString());
        assertEquals(20, result.requests2xx(), "retries absorb these fault rates within the deadline: " + result);
        assertTrue(adapter.log().contains("Kinesis rejected entries {"), "rejections are logged");
    }

    @Test
    void aRequestsBatchesAreSentSideBySideAndAllArrive() throws Exception {
        proxy.delayMillis = 1500; // each PutRecords call: a slow Kinesis
        List<String> mark = it.mark();
        DeliveryLedger ledger = new DeliveryLedger();
        WriteRequest request = RemoteWriteBodies.generated("side-by-side", 400, 5, 7); // 2,000 lines: 4 batches
        long started = System.nanoTime();

        HttpResponse<String> response = adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));

        long tookMs = (System.nanoTime() - started) / 1_000_000;
        ledger.record(request, response.statusCode());
        proxy.noFaults();
        assertEquals(204, response.statusCode(), response.body());
        assertEquals("2000", response.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").orElse(""));
        DeliveryLedger.Result result = ledger.reconcile(it.arrivedSince(mark));
        assertEquals(0, result.lost(), result.toString());
        assertEquals(0, result.duplicates(), result.toString());
        // one after the other, four calls would take 6 s
        assertTrue(tookMs >= 1_500 && tookMs < 4_500, "four calls at once, about one delay: " + tookMs + " ms");
    }

    @Test
    void entriesRejectedUntilTheDeadlineAreAnswered503WithRetryAfter() throws Exception {
        proxy.rejectEntries = 1.0;
        long started = System.nanoTime();

        HttpResponse<String> response = adapter.remoteWrite("/receive",
                RemoteWriteBodies.snappy(RemoteWriteBodies.generated("always-throttled", 2, 2, 1)));

        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(""));
        assertTrue(response.body().contains("not accepted before the delivery deadline"), response.body());
        // one budget from arrival: it gives up once the next backoff (at most 2 s) would cross the 10 s deadline
        assertTrue(tookMs >= 7_900 && tookMs < 12_000, "answered at the 10 s deadline, not long after: " + tookMs);
    }
}
