package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Backpressure refuses at once beyond the bound; SIGTERM finishes what is in flight and loses nothing answered. */
class OverloadAndShutdownIT {

    private static Kinesalite kinesis;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        kinesis = Kinesalite.shared();
        proxy = new FaultProxy(kinesis.endpoint(), 7);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        kinesis.close();
    }

    @Test
    void requestsBeyondTheConcurrencyBoundAreRefused503AtOnce() throws Exception {
        StreamReader stream = kinesis.createStream("overload-it", 1);
        proxy.delayMillis = 1500;
        try (Adapter adapter = new Adapter("OverloadIT", settings("overload-it", "MAX_CONCURRENT_REQUESTS", "2"))) {
            adapter.awaitReady(Duration.ofSeconds(60));
            List<String> mark = stream.iteratorsAt(ShardIteratorType.LATEST);
            ExecutorService senders = Executors.newFixedThreadPool(5);
            DeliveryLedger ledger = new DeliveryLedger();
            List<Future<Long>> answerTimes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                WriteRequest request = RemoteWriteBodies.generated("overload-" + i, 2, 5, i);
                answerTimes.add(senders.submit(() -> {
                    long started = System.nanoTime();
                    HttpResponse<String> response = adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));
                    ledger.record(request, response.statusCode());
                    long tookMs = (System.nanoTime() - started) / 1_000_000;
                    if (response.statusCode() == 503) {
                        assertTrue(response.body().contains("MAX_CONCURRENT_REQUESTS"), response.body());
                        assertTrue(tookMs < 1000, "refused at once, not after " + tookMs + " ms");
                    }
                    return tookMs;
                }));
            }
            for (Future<Long> answer : answerTimes) {
                answer.get(30, TimeUnit.SECONDS);
            }
            senders.shutdown();
            proxy.noFaults();

            DeliveryLedger.Result result = ledger.reconcile(SampleLines.received(stream.read(mark)));
            assertEquals(2, result.requests2xx(), result.toString());
            assertEquals(3, result.requests5xx(), result.toString());
            assertEquals(0, result.lost(), result.toString());
        } finally {
            proxy.noFaults();
        }
    }

    @Test
    void sigtermFinishesRequestsInFlightExitsZeroAndLosesNothingAnswered() throws Exception {
        StreamReader stream = kinesis.createStream("shutdown-it", 2);
        proxy.delayMillis = 300;
        DeliveryLedger ledger = new DeliveryLedger();
        Adapter adapter = new Adapter("ShutdownIT", settings("shutdown-it", "MAX_CONCURRENT_REQUESTS", "8"));
        try {
            adapter.awaitReady(Duration.ofSeconds(60));
            List<String> mark = stream.iteratorsAt(ShardIteratorType.LATEST);
            SteadySenders senders = new SteadySenders(adapter, ledger, "shutdown", 4);
            Thread.sleep(3000);

            adapter.terminate();
            int exit = adapter.awaitExit(Duration.ofSeconds(45));
            assertTrue(senders.stop());
            proxy.noFaults();

            assertEquals(0, exit, adapter.log());
            DeliveryLedger.Result result = ledger.reconcile(SampleLines.received(stream.read(mark)));
            System.out.println("OverloadAndShutdownIT: " + result + ", unanswered " + senders.unanswered);
            assertTrue(result.requests2xx() >= 8, "load was running: " + result);
            assertEquals(0, result.lost(), result.toString());
        } finally {
            proxy.noFaults();
            adapter.close();
        }
    }

    private static Map<String, String> settings(String stream, String key, String value) {
        return Map.of("STREAM_NAME", stream, "AWS_REGION", Kinesalite.REGION, "KINESIS_ENDPOINT", proxy.endpoint(),
                key, value);
    }
}
