package io.github.promkinesis.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code group-requests} step without HTTP: merged lines dealt to shards by series, each shard's requests one
 * after the other, cut at --max-samples-per-send lines and at ten minutes; what each shard sent is compared, line
 * by line, with what went in ({@link ShardedReceiver#assertReceived}).
 */
class RestoreRequestsTest {

    private static final long MINUTE = 60_000;

    @Test
    void denseLinesAreCutAtMaxSamplesEachSeriesOnOneShardInTimeOrder() throws Exception {
        List<TimedLine> lines = new ArrayList<>();
        for (int step = 0; step < 240; step++) { // an hour at 15 s
            long time = 1_700_000_000_000L + step * 15_000L;
            for (int series = 0; series < 60; series++) {
                lines.add(TimedLine.of("up{instance=\"host-" + series + "\"}", time, 0));
            }
            lines.add(TimedLine.of("histogram", time, 1)); // a series with two lines at one time
            lines.add(TimedLine.of("same-hash-a", 42, time, 0)); // two series of one hash
            lines.add(TimedLine.of("same-hash-b", 42, time, 0));
        }
        List<TimedLine> sent = TimedLine.merged(lines);
        ShardedReceiver receiver = new ShardedReceiver(sent);
        RestoreStats stats = new RestoreStats();
        receiver.send(sent, 100, 4, new Checkpoint(null, "test", 4), stats);

        List<List<TimedLine>> requests = receiver.assertReceived(sent, 100, 4);
        assertEquals(4, receiver.shards().size(), "every shard used");
        assertTrue(requests.stream().filter(request -> request.size() == 100).count() > requests.size() / 2,
                "most requests cut at --max-samples-per-send");
        assertEquals(0, stats.alreadyRestored.sum());
    }

    @Test
    void aRequestSpansTenMinutesAtMost() throws Exception {
        long start = 1_700_000_000_000L;
        long limit = RestoreRequests.MAX_SPAN_MILLIS;
        List<TimedLine> sent = List.of(TimedLine.of("a", start, 0), TimedLine.of("a", start + limit, 0),
                TimedLine.of("a", start + limit + 1, 0), TimedLine.of("a", start + 3 * limit, 0));
        ShardedReceiver receiver = new ShardedReceiver(sent);
        receiver.send(sent, 1000, 1, new Checkpoint(null, "test", 1), new RestoreStats());

        assertEquals(List.of(List.of(sent.get(0), sent.get(1)), List.of(sent.get(2)), List.of(sent.get(3))),
                receiver.assertReceived(sent, 1000, 1));
    }

    @Test
    void aSparseSeriesIsSentOnceOtherShardsAreTenMinutesOnNotWhenItsNextLineComes() throws Exception {
        List<TimedLine> lines = new ArrayList<>();
        long start = 1_700_000_000_000L;
        for (int minute = 0; minute < 60; minute++) {
            for (int series = 0; series < 8; series++) {
                lines.add(TimedLine.of("busy-" + series, 3 * series + series % 2, start + minute * MINUTE, 0));
            }
            if (minute % 25 == 0) {
                lines.add(TimedLine.of("sparse", 2, start + minute * MINUTE + 1, 0)); // alone on shard 2 of 3
            }
        }
        List<TimedLine> sent = TimedLine.merged(lines);
        CountDownLatch sparseSent = new CountDownLatch(1);
        ShardedReceiver receiver = new ShardedReceiver(sent).onRequest(request -> {
            if (request.get(0).series().equals("sparse")) {
                sparseSent.countDown();
            }
        });
        RestoreRequests requests = receiver.requests(10_000, 3, new Checkpoint(null, "test", 3), new RestoreStats());
        try {
            requests.send(TimedLine.entries(sent, line -> {
                if (line.time() >= start + 20 * MINUTE && !await(sparseSent)) {
                    throw new AssertionError("the merge at minute 20, and sparse's line of minute 0 not sent");
                }
            }));
        } finally {
            requests.close();
        }

        List<List<TimedLine>> got = receiver.assertReceived(sent, 10_000, 3);
        assertEquals(List.of(1, 1, 1), got.stream().filter(request -> request.get(0).series().equals("sparse"))
                .map(List::size).toList(), "sparse's lines, 25 minutes apart, each a request");
        assertTrue(got.size() >= 2 * 6, "the busy shards' requests cut at ten minutes: " + got.size());
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void randomArchivesOnRandomShardsAreEachSentOnceInOrder() throws Exception {
        for (int seed = 0; seed < 25; seed++) {
            Random random = new Random(seed);
            int concurrency = 1 + random.nextInt(6);
            int maxSamples = 1 + random.nextInt(40);
            int seriesCount = 1 + random.nextInt(25);
            int[] hashes = random.ints(seriesCount).toArray();
            List<TimedLine> lines = new ArrayList<>();
            long time = random.nextLong(-10 * MINUTE, 10 * MINUTE); // times before 1970 too
            for (int step = 0; step < 40; step++) {
                time += random.nextInt(4) == 0 ? 0 : random.nextLong(12 * MINUTE);
                for (int series = 0; series < seriesCount; series++) {
                    for (int nth = random.nextInt(3) == 0 ? random.nextInt(3) : 1; nth > 0; nth--) {
                        lines.add(TimedLine.of("s" + series, hashes[series], time, lines.size()));
                    }
                }
            }
            List<TimedLine> sent = TimedLine.merged(lines);
            ShardedReceiver receiver = new ShardedReceiver(sent);
            receiver.send(sent, maxSamples, concurrency, new Checkpoint(null, "test", concurrency),
                    new RestoreStats());
            receiver.assertReceived(sent, maxSamples, concurrency);
        }
    }
}
