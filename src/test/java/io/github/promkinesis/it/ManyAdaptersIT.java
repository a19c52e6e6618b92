package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Three adapters write one stream of four shards (random partition keys), behind a round-robin front: three
 * senders each rotating across the three adapters' URLs, a request that failed or was answered 5xx resent to
 * the next adapter, as Prometheus resends. Mid-load one adapter gets SIGTERM: it drains and exits 0, its clients
 * are refused and go to the others. Every sample answered 2xx is in the stream; a sample is there more than once
 * only if its request had an attempt not answered 2xx (at-least-once), and every shard got records.
 */
class ManyAdaptersIT {

    private static final int ADAPTERS = 3;
    private static final int SHARDS = 4;
    private static final int SENDERS = 3;
    private static final int REQUESTS_PER_SENDER = 1000;
    private static final int STOPPED = 1;

    /** One request as its sender saw it: its samples, how many attempts it took, how many were not 2xx. */
    record Outcome(List<String> samples, int attempts, int failedAttempts) {
    }

    /** What the stream held against what was answered; {@link #check} fails unless it is all accounted for. */
    record Check(long answered, long found, long duplicates, long retriedRequests, long failedAttempts) {
    }

    @Test
    void threeAdaptersBehindRoundRobinWriteOneStreamAndASigtermLosesNothing() throws Exception {
        long started = System.nanoTime();
        Kinesalite kinesis = Kinesalite.shared();
        String streamName = "many-adapters-it";
        StreamReader stream = kinesis.createStream(streamName, SHARDS);
        Map<String, String> settings = Map.of("STREAM_NAME", streamName, "AWS_REGION", Kinesalite.REGION,
                "KINESIS_ENDPOINT", kinesis.endpoint(), "KINESIS_PARTITION_KEY", "random");
        List<Adapter> adapters = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            for (int a = 0; a < ADAPTERS; a++) {
                adapters.add(new Adapter("ManyAdaptersIT-" + a, settings));
            }
            for (Adapter adapter : adapters) {
                adapter.awaitReady(Duration.ofSeconds(60));
            }

            AtomicIntegerArray answered2xx = new AtomicIntegerArray(ADAPTERS);
            AtomicInteger done = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger answered5xx = new AtomicInteger();
            List<Future<List<Outcome>>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                sent.add(senders.submit(() -> send(sender, adapters, answered2xx, done, refused, answered5xx)));
            }

            while (done.get() < SENDERS * REQUESTS_PER_SENDER / 3 && sent.stream().noneMatch(Future::isDone)) {
                Thread.sleep(20);
            }
            int[] beforeStop = new int[ADAPTERS];
            for (int a = 0; a < ADAPTERS; a++) {
                beforeStop[a] = answered2xx.get(a);
            }
            int doneAtStop = done.get();
            adapters.get(STOPPED).terminate();
            int exit = adapters.get(STOPPED).awaitExit(Duration.ofSeconds(45));

            List<Outcome> outcomes = new ArrayList<>();
            for (Future<List<Outcome>> sender : sent) {
                outcomes.addAll(sender.get(60, TimeUnit.SECONDS));
            }
            assertEquals(0, exit, "the stopped adapter exits 0:\n" + adapters.get(STOPPED).log());
            assertTrue(doneAtStop < SENDERS * REQUESTS_PER_SENDER * 2 / 3, "stopped mid-load: " + doneAtStop);
            for (int a = 0; a < ADAPTERS; a++) {
                assertTrue(beforeStop[a] > 0, "adapter " + a + " answered 2xx before the stop: "
                        + Arrays.toString(beforeStop));
            }

            // the whole stream, shard by shard: each shard received records
            List<String> inStream = new ArrayList<>();
            int[] perShard = new int[SHARDS];
            List<String> iterators = stream.iteratorsAt(ShardIteratorType.TRIM_HORIZON);
            assertEquals(SHARDS, iterators.size());
            for (int shard = 0; shard < SHARDS; shard++) {
                List<String> lines = SampleLines.received(stream.read(List.of(iterators.get(shard))));
                perShard[shard] = lines.size();
                inStream.addAll(lines);
            }
            for (int shard = 0; shard < SHARDS; shard++) {
                assertTrue(perShard[shard] > 0, "every shard received records: " + Arrays.toString(perShard));
            }

            Check check = check(outcomes, inStream);
            assertEquals(SENDERS * REQUESTS_PER_SENDER, outcomes.size());
            assertTrue(check.failedAttempts() > 0, "the stop made some requests fail over: " + check);
            assertEquals(refused.get() + answered5xx.get(), check.failedAttempts());

            // the check fails on a sample answered 2xx and missing, and on a copy of a request never refused
            List<String> oneDropped = new ArrayList<>(inStream);
            oneDropped.remove(oneDropped.size() / 2);
            assertThrows(AssertionError.class, () -> check(outcomes, oneDropped));
            Outcome firstTry = outcomes.stream().filter(o -> o.failedAttempts() == 0).findFirst().orElseThrow();
            List<String> oneDuplicated = new ArrayList<>(inStream);
            oneDuplicated.add(firstTry.samples().get(0));
            assertThrows(AssertionError.class, () -> check(outcomes, oneDuplicated));

            System.out.printf("ManyAdaptersIT: %d adapters, %d requests (%d retried after %d attempts: %d refused or cut "
                            + "off, %d 5xx), %d samples answered 2xx, %d found in stream, lost 0, duplicates %d (all from "
                            + "retries), per shard %s, 2xx per adapter before the stop %s, after %s, stopped "
                            + "adapter exit %d, %.1f s%n",
                    ADAPTERS, outcomes.size(), check.retriedRequests(), check.failedAttempts(), refused.get(),
                    answered5xx.get(), check.answered(),
                    check.found(), check.duplicates(), Arrays.toString(perShard), Arrays.toString(beforeStop),
                    answered2xx, exit, (System.nanoTime() - started) / 1e9);
        } finally {
            senders.shutdownNow();
            for (Adapter adapter : adapters) {
                adapter.close();
            }
        }
    }

    /**
     * One sender: requests of distinct samples, one after the other, the first attempt on the adapter after the
     * previous request's, and an attempt refused, cut off or answered 5xx resent on the next adapter.
     */
    private static List<Outcome> send(int sender, List<Adapter> adapters, AtomicIntegerArray answered2xx,
                                      AtomicInteger done, AtomicInteger refused, AtomicInteger answered5xx)
            throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_SENDER; i++) {
            WriteRequest request = RemoteWriteBodies.generated("many-" + sender + "-" + i, 2, 2, i);
            byte[] body = RemoteWriteBodies.snappy(request);
            int failed = 0;
            for (int attempt = 0; ; attempt++) {
                int target = (sender + i + attempt) % adapters.size();
                int status;
                try {
                    status = adapters.get(target).remoteWrite("/receive", body).statusCode();
                } catch (IOException refusedOrCutOff) {
                    status = -1;
                }
                if (status / 100 == 2) {
                    answered2xx.incrementAndGet(target);
                    outcomes.add(new Outcome(SampleLines.sent(request), attempt + 1, failed));
                    break;
                }
                if (status != -1 && status < 500 && status != 429) {
                    throw new AssertionError("a valid request was refused with " + status);
                }
                failed++;
                (status == -1 ? refused : answered5xx).incrementAndGet();
                if (attempt >= 30) {
                    throw new AssertionError("request " + sender + "-" + i + " never answered 2xx");
                }
                if (attempt % adapters.size() == adapters.size() - 1) {
                    Thread.sleep(100); // every adapter refused: back off, as Prometheus does
                }
            }
            done.incrementAndGet();
        }
        return outcomes;
    }

    /**
     * Fails unless every sample answered 2xx is in the stream, the stream holds nothing that was not sent, and a
     * sample is there more than once only if its request had an attempt not answered 2xx, at most once an attempt.
     */
    static Check check(List<Outcome> outcomes, List<String> inStream) {
        Map<String, Integer> found = new HashMap<>();
        inStream.forEach(sample -> found.merge(sample, 1, Integer::sum));
        Set<String> sent = new HashSet<>();
        long answered = 0;
        long lost = 0;
        long duplicates = 0;
        long unexplained = 0;
        long retried = 0;
        long failedAttempts = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.failedAttempts() > 0) {
                retried++;
                failedAttempts += outcome.failedAttempts();
            }
            for (String sample : outcome.samples()) {
                sent.add(sample);
                answered++;
                int copies = found.getOrDefault(sample, 0);
                if (copies == 0) {
                    lost++;
                } else if (copies > 1) {
                    duplicates += copies - 1;
                    if (outcome.failedAttempts() == 0 || copies > outcome.attempts()) {
                        unexplained += copies - 1;
                    }
                }
            }
        }
        long foreign = found.keySet().stream().filter(sample -> !sent.contains(sample)).count();
        Check check = new Check(answered, inStream.size(), duplicates, retried, failedAttempts);
        String summary = check + ", lost " + lost + ", unexplained duplicates " + unexplained + ", foreign "
                + foreign;
        assertEquals(0, lost, "every sample answered 2xx is in the stream: " + summary);
        assertEquals(0, unexplained, "duplicates only from retried requests: " + summary);
        assertEquals(0, foreign, "nothing in the stream that was not sent: " + summary);
        assertEquals(answered + duplicates, inStream.size(), summary);
        return check;
    }
}
