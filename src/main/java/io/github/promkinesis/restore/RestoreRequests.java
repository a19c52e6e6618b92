package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.ArchivedLine;
import io.github.promkinesis.encoding.SeriesKey;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Groups the lines read into remote-write requests of at most maxSamplesPerSend lines (float and histogram
 * samples, exemplars, metadata), each series' samples, histograms and exemplars in time order, and hands them to
 * the sending route on one of {@code concurrency} shards. A series always goes to the same shard (by the hash of
 * its labels) and a shard sends one request after the other, so a series' requests arrive in order, as
 * Prometheus' own remote write keeps them. The reading thread only deals lines out, as bytes; each shard's thread
 * decodes, filters and groups its lines and builds its requests, so decoded lines live only as long as it takes
 * to send them. Each shard holds at most two requests waiting: memory stays flat.
 */
public final class RestoreRequests implements SampleSink {

    /** The exchange property with the request's sample count. */
    public static final String SAMPLES = "restoreSamples";
    private static final Comparator<ArchivedLine> BY_TIME = Comparator.comparingLong(ArchivedLine::time);

    private final ProducerTemplate sink;
    private final String endpoint;
    private final int maxSamplesPerSend;
    private final Shard[] shards;
    private final LineDecoder dealer;

    RestoreRequests(ProducerTemplate sink, String endpoint, int maxSamplesPerSend, int concurrency,
                    Supplier<LineDecoder> decoders) {
        this.sink = sink;
        this.endpoint = endpoint;
        this.maxSamplesPerSend = maxSamplesPerSend;
        this.shards = new Shard[concurrency];
        for (int i = 0; i < concurrency; i++) {
            shards[i] = new Shard(i, decoders.get());
        }
        this.dealer = decoders.get();
    }

    @Override
    public void add(String object, long lineNumber, byte[] bytes, int offset, int length) throws InterruptedException {
        int hash = dealer.seriesHash(bytes, offset, length);
        shards[Math.floorMod(hash, shards.length)].add(object, lineNumber, bytes, offset, length);
    }

    /** Sends what is buffered and waits until every request was answered: an object is then done. */
    @Override
    public void flush() throws Exception {
        for (Shard shard : shards) {
            shard.send();
        }
        for (Shard shard : shards) {
            shard.drain();
        }
    }

    public void close() {
        for (Shard shard : shards) {
            shard.sender.shutdownNow();
        }
    }

    /** One request of these lines: a series each, its samples, exemplars and histograms in time order. */
    static WriteRequest request(List<ArchivedLine> lines) {
        Map<SeriesKey, List<ArchivedLine>> bySeries = new LinkedHashMap<>();
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (ArchivedLine line : lines) {
            if (line.kind() == ArchivedLine.Kind.METADATA) {
                request.addMetadata(line.metadata());
            } else {
                bySeries.computeIfAbsent(line.series(), key -> new ArrayList<>()).add(line);
            }
        }
        for (List<ArchivedLine> one : bySeries.values()) {
            one.sort(BY_TIME); // stable; Prometheus drops samples out of order within a request without a word
            TimeSeries.Builder series = TimeSeries.newBuilder().addAllLabels(one.get(0).labels());
            for (ArchivedLine line : one) {
                switch (line.kind()) {
                    case SAMPLE -> series.addSamples(Sample.newBuilder().setValue(line.value())
                            .setTimestamp(line.time()));
                    case EXEMPLAR -> series.addExemplars(Exemplar.newBuilder().addAllLabels(line.exemplarLabels())
                            .setValue(line.value()).setTimestamp(line.time()));
                    case HISTOGRAM -> series.addHistograms(line.histogram());
                    case METADATA -> throw new IllegalStateException("metadata has no series");
                }
            }
            request.addTimeseries(series);
        }
        return request.build();
    }

    private final class Shard {
        private final ExecutorService sender;
        private final LineDecoder decoder;
        private final Semaphore waiting = new Semaphore(2);
        private final List<Future<?>> sent = new ArrayList<>();
        private LineBatch lines;

        Shard(int index, LineDecoder decoder) {
            this.sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "restore-sender-" + index));
            this.decoder = decoder;
        }

        void add(String object, long lineNumber, byte[] bytes, int offset, int length) throws InterruptedException {
            if (lines == null) {
                lines = new LineBatch(object);
            }
            lines.add(lineNumber, bytes, offset, length);
            if (lines.size() >= maxSamplesPerSend) {
                send();
            }
        }

        void send() throws InterruptedException {
            if (lines == null) {
                return;
            }
            LineBatch taken = lines;
            lines = null;
            waiting.acquire();
            sent.removeIf(Future::isDone);
            sent.add(sender.submit(() -> {
                try {
                    List<ArchivedLine> decoded = new ArrayList<>(taken.size());
                    taken.forEach((lineNumber, bytes, offset, length) -> {
                        ArchivedLine line = decoder.decode(taken.object, lineNumber, bytes, offset, length);
                        if (line != null) {
                            decoded.add(line);
                        }
                    });
                    if (decoded.isEmpty()) {
                        return null;
                    }
                    WriteRequest request = request(decoded);
                    Exchange done = sink.send(endpoint, exchange -> {
                        exchange.getMessage().setBody(request);
                        exchange.setProperty(SAMPLES, decoded.size());
                    });
                    if (done.getException() != null) {
                        throw done.getException();
                    }
                    return null;
                } finally {
                    waiting.release();
                }
            }));
        }

        void drain() throws Exception {
            try {
                for (Future<?> request : sent) {
                    request.get();
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } finally {
                sent.clear();
            }
        }
    }
}
