package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Prometheus drops a request answered 4xx, so no 4xx may come while the adapter starts or stops: a request
 * posted every 20 ms from before the process starts, through readiness and a SIGTERM, until it exits, is
 * answered 204 or 503 with Retry-After, or finds the port closed; and every 204 is in the stream.
 */
class StartAndStopIT {

    @Test
    void noRequestIsRefused4xxWhileStartingOrStopping() throws Exception {
        try (Kinesalite kinesis = Kinesalite.shared()) {
            StreamReader stream = kinesis.createStream("start-stop-it", 1);
            List<String> mark = stream.iteratorsAt(ShardIteratorType.LATEST);
            DeliveryLedger ledger = new DeliveryLedger();
            Map<String, Integer> answers = new TreeMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Adapter adapter = new Adapter("StartAndStopIT", Map.of("STREAM_NAME", "start-stop-it",
                    "AWS_REGION", Kinesalite.REGION, "KINESIS_ENDPOINT", kinesis.endpoint()));
            try {
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    for (int i = 0; running.get(); i++) {
                        WriteRequest request = RemoteWriteBodies.generated("start-stop-" + i, 5, 1, i);
                        HttpResponse<String> answer = post(adapter, request);
                        String seen = answer == null ? "closed" : answer.statusCode()
                                + (answer.headers().firstValue("Retry-After").isPresent() ? " Retry-After" : "");
                        synchronized (answers) {
                            answers.merge(seen, 1, Integer::sum);
                        }
                        if (answer != null) {
                            ledger.record(request, answer.statusCode());
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
                System.out.println("StartAndStopIT answers: " + answers);
                assertTrue(Set.of("closed", "204", "503 Retry-After").containsAll(answers.keySet()),
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

    /** The answer, or null when nothing answered (port not open yet, or closed). */
    private static HttpResponse<String> post(Adapter adapter, WriteRequest request) {
        try {
            return adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request));
        } catch (IOException notListening) {
            return null;
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
