package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The restore's sending route without HTTP, for the tests of {@link RestoreRequests}: a {@code direct:} route of
 * its own that records each request's lines by the shard that sent it (its sender thread), checks that no series
 * is in two requests at once, and answers, or fails once {@link #failAfter} requests were answered.
 */
final class ShardedReceiver {

    private static final AtomicInteger ROUTES = new AtomicInteger();
    private static CamelContext camel;
    private static ProducerTemplate template;

    private final String endpoint = "direct:restore-send-" + ROUTES.incrementAndGet();
    private final Map<String, TimedLine> byText = new HashMap<>();
    /** Per shard (its sender thread), its requests in the order they came. */
    private final Map<String, List<List<TimedLine>>> shards = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger answered = new AtomicInteger();
    private volatile int failAfter = Integer.MAX_VALUE;
    private volatile int failOnly;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Consumer<List<TimedLine>> onRequest = request -> { };

    /** A receiver of these lines (any of them; the lines sent must be among them). */
    ShardedReceiver(List<TimedLine> lines) throws Exception {
        for (TimedLine line : lines) {
            byText.put(line.text(), line);
        }
        synchronized (ShardedReceiver.class) {
            if (camel == null) {
                camel = new DefaultCamelContext();
                camel.start();
                template = camel.createProducerTemplate();
            }
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(noErrorHandler());
                    from(endpoint).process(ShardedReceiver.this::take);
                }
            });
        }
    }

    /** From now on, requests beyond the first {@code answers} fail: the receiver went away. */
    ShardedReceiver failAfter(int answers) {
        failAfter = answers;
        return this;
    }

    /** Fails the {@code request}-th request it gets, late, and answers the others: a receiver that hiccups once. */
    ShardedReceiver failRequest(int request) {
        failOnly = request;
        return this;
    }

    /** Tells {@code listener} of each request answered, on the shard's thread. */
    ShardedReceiver onRequest(Consumer<List<TimedLine>> listener) {
        onRequest = listener;
        return this;
    }

    RestoreRequests requests(int maxSamplesPerSend, int concurrency, Checkpoint checkpoint, RestoreStats stats) {
        return new RestoreRequests(template, endpoint, maxSamplesPerSend, concurrency, checkpoint, stats);
    }

    /** Sends the lines (in the merge's order) as the restore does, and closes the shards. */
    void send(List<TimedLine> lines, int maxSamplesPerSend, int concurrency, Checkpoint checkpoint,
              RestoreStats stats) throws Exception {
        RestoreRequests requests = requests(maxSamplesPerSend, concurrency, checkpoint, stats);
        try {
            requests.send(TimedLine.entries(lines));
        } finally {
            requests.close();
        }
    }

    private void take(Exchange exchange) {
        LineBatch batch = exchange.getMessage().getBody(LineBatch.class);
        List<TimedLine> request = new ArrayList<>();
        batch.forEach((bytes, offset, length) -> {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            TimedLine line = byText.get(text);
            if (line == null) {
                problems.add("a line never sent: " + text);
            }
            request.add(line);
        });
        Integer samples = exchange.getProperty(RestoreRequests.SAMPLES, Integer.class);
        if (samples == null || samples != request.size()) {
            problems.add("samples " + samples + " for a request of " + request.size() + " lines");
        }
        Set<String> series = new LinkedHashSet<>();
        request.forEach(line -> series.add(line.series()));
        for (String one : series) {
            if (!inFlight.add(one)) {
                problems.add("series " + one + " in two requests at once");
            }
        }
        try {
            LockSupport.parkNanos(50_000); // long enough for another shard's request to overlap
            if (answered.get() >= failAfter) {
                throw new IllegalStateException("the receiver is gone");
            }
            if (requests.incrementAndGet() == failOnly) {
                LockSupport.parkNanos(200_000_000); // late, as a timeout is: the shard's next request is queued
                throw new IllegalStateException("the receiver failed this one");
            }
            shards.computeIfAbsent(Thread.currentThread().getName(), shard -> new ArrayList<>()).add(request);
            answered.incrementAndGet();
            onRequest.accept(request);
        } finally {
            inFlight.removeAll(series);
        }
    }

    /** Per shard, the requests it sent, each its lines, in the order they came. */
    Map<String, List<List<TimedLine>>> shards() {
        synchronized (problems) {
            assertEquals(List.of(), problems.subList(0, Math.min(5, problems.size())), problems.size() + " problems");
        }
        return new TreeMap<>(shards);
    }

    /** Every line the receiver took, shard after shard. */
    List<TimedLine> received() {
        List<TimedLine> all = new ArrayList<>();
        shards().values().forEach(requests -> requests.forEach(all::addAll));
        return all;
    }

    /**
     * What the receiver took is {@code sent}, each line once: each series on one shard of at most
     * {@code concurrency}, each shard's lines those of its series in the order of {@code sent}, so each series in
     * time order; no request above {@code maxSamplesPerSend} lines or spanning more than
     * {@link RestoreRequests#MAX_SPAN_MILLIS}, and none cut short but by the next line's time. Returns the requests
     * of all shards, for the caller to see the cuts it meant to cause were made.
     */
    List<List<TimedLine>> assertReceived(List<TimedLine> sent, int maxSamplesPerSend, int concurrency) {
        Map<String, List<List<TimedLine>>> shards = shards();
        assertTrue(shards.size() <= concurrency, "shards: " + shards.keySet());
        Map<String, String> shardOf = new LinkedHashMap<>();
        for (var shard : shards.entrySet()) {
            for (List<TimedLine> request : shard.getValue()) {
                for (TimedLine line : request) {
                    String before = shardOf.put(line.series(), shard.getKey());
                    assertTrue(before == null || before.equals(shard.getKey()),
                            line.series() + " on " + before + " and " + shard.getKey());
                }
            }
        }
        Set<String> series = new LinkedHashSet<>();
        sent.forEach(line -> series.add(line.series()));
        assertEquals(series, shardOf.keySet(), "every series sent");
        List<List<TimedLine>> all = new ArrayList<>();
        for (var shard : shards.entrySet()) {
            List<TimedLine> expected = sent.stream().filter(line -> shardOf.get(line.series()).equals(shard.getKey()))
                    .toList();
            List<TimedLine> got = new ArrayList<>();
            List<List<TimedLine>> requests = shard.getValue();
            for (int i = 0; i < requests.size(); i++) {
                List<TimedLine> request = requests.get(i);
                got.addAll(request);
                assertTrue(!request.isEmpty() && request.size() <= maxSamplesPerSend, "request of " + request.size());
                long first = request.get(0).time();
                long span = request.get(request.size() - 1).time() - first;
                assertTrue(span <= RestoreRequests.MAX_SPAN_MILLIS, "a request spanning " + span + " ms");
                if (i + 1 < requests.size() && request.size() < maxSamplesPerSend) {
                    long toNext = requests.get(i + 1).get(0).time() - first;
                    assertTrue(toNext > RestoreRequests.MAX_SPAN_MILLIS,
                            "a request of " + request.size() + " lines cut with the next line " + toNext + " ms on");
                }
            }
            assertEquals(expected, got, "the lines of " + shard.getKey());
            all.addAll(requests);
        }
        return all;
    }
}
