package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Prometheus drops a request answered 4xx, so no 4xx may come while the adapter starts or stops: a request
 * posted every 20 ms from before the process starts, through readiness and a SIGTERM, until it exits, is
 * answered 204 or 503, or finds the port closed; and every 204 is in the stream.
 */
class StartAndStopIT {

    @Test
    void noRequestIsRefused4xxWhileStartingOrStopping() throws Exception {
        try (Kinesalite kinesis = new Kinesalite()) {
            StreamReader stream = kinesis.createStream("start-stop-it", 1);
            List<String> mark = stream.iteratorsAt(ShardIteratorType.LATEST);
            DeliveryLedger ledger = new DeliveryLedger();
            Map<Integer, Integer> answers = new TreeMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Adapter adapter = new Adapter("StartAndStopIT", Map.of("STREAM_NAME", "start-stop-it",
                    "AWS_REGION", Kinesalite.REGION, "KINESIS_ENDPOINT", kinesis.endpoint()));
            try {
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    for (int i = 0; running.get(); i++) {
                        WriteRequest request = RemoteWriteBodies.generated("start-stop-" + i, 5, 1, i);
                        int status = post(adapter, request);
                        synchronized (answers) {
                            answers.merge(status, 1, Integer::sum);
                        }
                        if (status > 0) {
                            ledger.record(request, status);
                        }
                        sleep(20);
                    }
                });
                adapter.awaitReady(Duration.ofSeconds(60));
                Thread.sleep(1000);
                adapter.terminate();
                int exit = adapter.awaitExit(Duration.ofSeconds(45));
                Thread.sleep(200);
                running.set(false);
                sender.get();

                assertEquals(0, exit, adapter.log());
                System.out.println("StartAndStopIT answers (0: port closed): " + answers);
                assertTrue(answers.keySet().stream().allMatch(s -> s == 0 || s == 204 || s == 503),
                        "answers while starting and stopping: " + answers);
                DeliveryLedger.Result result = ledger.reconcile(SampleLines.received(stream.read(mark)));
                assertTrue(result.requests2xx() >= 10, "the adapter took requests in between: " + result);
                assertEquals(0, result.lost(), result.toString());
            } finally {
                running.set(false);
                adapter.close();
            }
        }
    }

    /** The status code, or 0 when nothing answered (port not open yet, or closed). */
    private static int post(Adapter adapter, WriteRequest request) {
        try {
            return adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode();
        } catch (IOException notListening) {
            return 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
