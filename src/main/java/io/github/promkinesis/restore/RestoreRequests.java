package io.github.promkinesis.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The {@code group-requests} step: the merged lines, in time order, grouped into remote-write requests of at most
 * maxSamplesPerSend lines and handed to the sending route on one of {@code concurrency} shards, as Prometheus' own
 * remote write does. A series always goes to the same shard (by its hash) and a shard sends one request after the
 * other, so each series arrives in time order; a shard holds at most two requests waiting and cuts a request
 * once it spans {@link #MAX_SPAN_MILLIS}, so no shard falls behind the others by much and every series advances
 * together (Prometheus refuses samples more than about an hour older than the newest it holds). A shard's
 * thread encodes and sends its requests; a request's lines are held as bytes until then.
 */
public final class RestoreRequests {

    /** The exchange property with the request's line count. */
    public static final String SAMPLES = "restoreSamples";
    /** A request's lines span at most this much time: well inside a receiver's one-hour window. */
    static final long MAX_SPAN_MILLIS = 10 * 60_000;

    private final ProducerTemplate sink;
    private final String endpoint;
    private final int maxSamplesPerSend;
    private final Checkpoint checkpoint;
    private final RestoreStats stats;
    private final Shard[] shards;

    RestoreRequests(ProducerTemplate sink, String endpoint, int maxSamplesPerSend, int concurrency,
                    Checkpoint checkpoint, RestoreStats stats) {
        this.sink = sink;
        this.endpoint = endpoint;
        this.maxSamplesPerSend = maxSamplesPerSend;
        this.checkpoint = checkpoint;
        this.stats = stats;
        this.shards = new Shard[concurrency];
        for (int i = 0; i < concurrency; i++) {
            shards[i] = new Shard(i);
        }
    }

    /** Sends every line, then waits until every request was answered. */
    public void send(Entries lines) throws Exception {
        try (lines) {
            while (lines.next()) {
                byte[] array = lines.array();
                long time = SortOrder.TIME.time(array, lines.keyOffset(), lines.keyLength());
                int index = Math.floorMod(SortOrder.TIME.seriesHash(array, lines.keyOffset(), lines.keyLength()),
                        shards.length);
                for (Shard other : shards) {
                    if (other.lines != null && time - other.firstTime > MAX_SPAN_MILLIS) {
                        other.send();
                    }
                }
                Shard shard = shards[index];
                if (checkpoint.done(index, time, shard.count(time))) {
                    stats.alreadyRestored.increment();
                    continue;
                }
                shard.add(time, array, lines.lineOffset(), lines.lineLength());
            }
            for (Shard shard : shards) {
                shard.send();
            }
            for (Shard shard : shards) {
                shard.drain();
            }
        }
    }

    public void close() {
        for (Shard shard : shards) {
            shard.sender.shutdownNow();
        }
    }

    private final class Shard {
        private final int index;
        private final ExecutorService sender;
        private final Semaphore waiting = new Semaphore(2);
        private final List<Future<?>> sent = new ArrayList<>();
        private LineBatch lines;
        private long firstTime;
        /** The time of the shard's last line, and how many of its lines came at that time. */
        private long lastTime = Long.MIN_VALUE;
        private long atLastTime;
        /**
         * Set on the sender's thread once a request failed: the shard sends nothing more, so the checkpoint never
         * passes a request that was not answered.
         */
        private volatile boolean failed;

        Shard(int index) {
            this.index = index;
            this.sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "restore-sender-" + index));
        }

        /** Counts a line of the shard at this time: how many came at this time before it. */
        long count(long time) {
            if (time != lastTime) {
                lastTime = time;
                atLastTime = 0;
            }
            return atLastTime++;
        }

        void add(long time, byte[] bytes, int offset, int length) throws InterruptedException {
            if (lines == null) {
                lines = new LineBatch();
                firstTime = time;
            }
            lines.add(bytes, offset, length);
            if (lines.size() >= maxSamplesPerSend) {
                send();
            }
        }

        void send() throws InterruptedException {
            if (lines == null) {
                return;
            }
            LineBatch taken = lines;
            long last = lastTime;
            long doneAtLast = atLastTime;
            lines = null;
            waiting.acquire();
            collect(false);
            sent.add(sender.submit(() -> {
                try {
                    if (failed) {
                        return null;
                    }
                    Exchange done = sink.send(endpoint, exchange -> {
                        exchange.getMessage().setBody(taken);
                        exchange.setProperty(SAMPLES, taken.size());
                    });
                    if (done.getException() != null) {
                        failed = true;
                        throw done.getException();
                    }
                    checkpoint.answered(index, last, doneAtLast);
                    return null;
                } finally {
                    waiting.release();
                }
            }));
        }

        void drain() throws Exception {
            collect(true);
        }

        /** Forgets answered requests, waiting for all when asked; the first that failed ends the restore. */
        private void collect(boolean all) throws InterruptedException {
            for (var requests = sent.iterator(); requests.hasNext(); ) {
                Future<?> request = requests.next();
                if (all || request.isDone()) {
                    try {
                        request.get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof RuntimeException cause ? cause
                                : new IllegalStateException(e.getCause());
                    }
                    requests.remove();
                }
            }
        }
    }
}
