package io.github.promkinesis.restore;

import io.github.promkinesis.encoding.ArchivedLine;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Groups the lines read into remote-write requests of at most maxSamplesPerSend lines (float and histogram
 * samples, exemplars, metadata), each series' samples, histograms and exemplars in time order, and hands them to the sending route on one of {@code concurrency} shards. A series always goes
 * to the same shard and a shard sends one request after the other, so a series' requests arrive in order, as
 * Prometheus' own remote write keeps them. Each shard holds at most two requests waiting: memory stays flat.
 */
public final class RestoreRequests implements SampleSink {

    /** The exchange property with the request's sample count. */
    public static final String SAMPLES = "restoreSamples";
    private static final Comparator<Sample> BY_TIME = Comparator.comparingLong(Sample::getTimestamp);

    private final ProducerTemplate sink;
    private final String endpoint;
    private final int maxSamplesPerSend;
    private final Shard[] shards;

    RestoreRequests(ProducerTemplate sink, String endpoint, int maxSamplesPerSend, int concurrency) {
        this.sink = sink;
        this.endpoint = endpoint;
        this.maxSamplesPerSend = maxSamplesPerSend;
        this.shards = new Shard[concurrency];
        for (int i = 0; i < concurrency; i++) {
            shards[i] = new Shard(i);
        }
    }

    @Override
    public void add(ArchivedLine line) throws InterruptedException {
        String key = key(line.labels());
        Shard shard = shards[Math.floorMod(key.hashCode(), shards.length)];
        shard.add(key, line);
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

    private static String key(List<Label> labels) {
        StringBuilder key = new StringBuilder();
        for (Label label : labels) {
            key.append(label.getName()).append('\u0000').append(label.getValue()).append('\u0000');
        }
        return key.toString();
    }

    private final class Shard {
        private final ExecutorService sender;
        private final Semaphore waiting = new Semaphore(2);
        private final Map<String, TimeSeries.Builder> series = new LinkedHashMap<>();
        private final List<MetricMetadata> metadata = new ArrayList<>();
        private final List<Future<?>> sent = new ArrayList<>();
        private int samples;

        Shard(int index) {
            sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "restore-sender-" + index));
        }

        void add(String key, ArchivedLine line) throws InterruptedException {
            switch (line.kind()) {
                case SAMPLE -> series(key, line)
                        .addSamples(Sample.newBuilder().setValue(line.value()).setTimestamp(line.time()));
                case EXEMPLAR -> series(key, line).addExemplars(Exemplar.newBuilder()
                        .addAllLabels(line.exemplarLabels()).setValue(line.value()).setTimestamp(line.time()));
                case HISTOGRAM -> series(key, line).addHistograms(line.histogram());
                case METADATA -> metadata.add(line.metadata());
            }
            if (++samples >= maxSamplesPerSend) {
                send();
            }
        }

        private TimeSeries.Builder series(String key, ArchivedLine line) {
            return series.computeIfAbsent(key, k -> TimeSeries.newBuilder().addAllLabels(line.labels()));
        }

        void send() throws InterruptedException {
            if (samples == 0) {
                return;
            }
            WriteRequest.Builder request = WriteRequest.newBuilder();
            for (TimeSeries.Builder one : series.values()) {
                List<Sample> inOrder = new ArrayList<>(one.getSamplesList());
                inOrder.sort(BY_TIME); // Prometheus drops samples out of order within a request without a word
                List<Exemplar> exemplars = new ArrayList<>(one.getExemplarsList());
                exemplars.sort(Comparator.comparingLong(Exemplar::getTimestamp));
                List<Histogram> histograms = new ArrayList<>(one.getHistogramsList());
                histograms.sort(Comparator.comparingLong(Histogram::getTimestamp));
                request.addTimeseries(one.clearSamples().addAllSamples(inOrder).clearExemplars()
                        .addAllExemplars(exemplars).clearHistograms().addAllHistograms(histograms));
            }
            request.addAllMetadata(metadata);
            int count = samples;
            series.clear();
            metadata.clear();
            samples = 0;
            WriteRequest built = request.build();
            waiting.acquire();
            sent.removeIf(Future::isDone);
            sent.add(sender.submit(() -> {
                try {
                    Exchange done = sink.send(endpoint, exchange -> {
                        exchange.getMessage().setBody(built);
                        exchange.setProperty(SAMPLES, count);
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
            for (Future<?> request : sent) {
                request.get();
            }
            sent.clear();
        }
    }
}
