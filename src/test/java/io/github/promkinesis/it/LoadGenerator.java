package io.github.promkinesis.it;

import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a running adapter like a fleet of Prometheus queues: N connections, each POSTing snappy remote-write
 * bodies back to back (or paced to a total sample rate), for a fixed time. The bodies look like Prometheus':
 * by default 2,000 samples per request, one sample per series, 10 labels of realistic lengths.
 */
final class LoadGenerator {

    private static final String[] NAMES = {"__name__", "cluster", "container", "endpoint", "instance", "job",
        "namespace", "pod", "service", "mode", "le", "code", "method", "handler", "device", "cpu"};

    private final URI target;
    private final List<byte[]> bodies;
    private final int samplesPerRequest;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final LongAdder samples = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final List<long[]> latencies = new ArrayList<>();
    private final List<long[]> starts = new ArrayList<>();
    private volatile long markNanos;
    private volatile long markEpochMillis;

    LoadGenerator(URI target, int samplesPerRequest, int samplesPerSeries, int labels, int bodyCount, long seed) {
        this.target = target;
        this.samplesPerRequest = samplesPerRequest;
        this.bodies = new ArrayList<>(bodyCount);
        Random random = new Random(seed);
        for (int i = 0; i < bodyCount; i++) {
            bodies.add(RemoteWriteBodies.snappy(request(random, i, samplesPerRequest, samplesPerSeries, labels)));
        }
    }

    /**
     * Sends for {@code warmup} and then {@code measured} on the same connections (as Prometheus keeps its own):
     * between the two, each connection finishes its request and waits for the others, {@code atMark} runs with
     * none in flight (so counters read there split the requests exactly; its result is returned), and the
     * connections go on staggered as they began. Only requests sent after the mark are counted.
     * {@code samplesPerSecond} 0 means as fast as the adapter answers.
     */
    <T> T run(int connections, Duration warmup, Duration measured, long samplesPerSecond, Callable<T> atMark)
            throws InterruptedException {
        long interval = samplesPerSecond == 0 ? 0 : 1_000_000_000L * samplesPerRequest * connections / samplesPerSecond;
        long mark = System.nanoTime() + warmup.toNanos();
        AtomicLong end = new AtomicLong(Long.MAX_VALUE);
        AtomicReference<T> atMarkResult = new AtomicReference<>();
        CyclicBarrier atMarkBarrier = new CyclicBarrier(connections, () -> {
            markNanos = System.nanoTime();
            markEpochMillis = System.currentTimeMillis();
            try {
                atMarkResult.set(atMark.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            end.set(System.nanoTime() + measured.toNanos());
        });
        AtomicLong next = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long stagger = interval * c / Math.max(1, connections);
            Thread worker = new Thread(() -> {
                long[] mine = new long[1024];
                long[] mineStarts = new long[mine.length];
                int n = 0;
                boolean measuring = false;
                long due = System.nanoTime() + stagger;
                while (true) {
                    if (interval > 0) {
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            sleep(wait);
                        }
                        due += interval;
                    }
                    if (!measuring && System.nanoTime() >= mark) {
                        await(atMarkBarrier);
                        measuring = true;
                        due = System.nanoTime() + stagger;
                        continue;
                    }
                    if (System.nanoTime() >= end.get()) {
                        break;
                    }
                    byte[] body = bodies.get((int) (next.getAndIncrement() % bodies.size()));
                    long start = System.nanoTime();
                    boolean ok = send(body);
                    if (!measuring) {
                        continue;
                    }
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                        mineStarts = Arrays.copyOf(mineStarts, n * 2);
                    }
                    mineStarts[n] = start - markNanos;
                    mine[n++] = System.nanoTime() - start;
                    if (ok) {
                        samples.add(samplesPerRequest);
                    } else {
                        errors.increment();
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine, n));
                    starts.add(Arrays.copyOf(mineStarts, n));
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return atMarkResult.get();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The latency below which {@code fraction} of the requests were answered, in milliseconds. */
    double percentileMillis(double fraction) {
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return all.length == 0 ? Double.NaN : all[(int) Math.min(all.length - 1, Math.ceil(fraction * all.length) - 1)] / 1e6;
    }

    /**
     * Each measured request as a line "connection sent-at-ms latency-ms", sent-at counted from the mark, whose time
     * since the epoch is the first line (to set beside logs such as the JVM's {@code -Xlog:gc:...:timemillis}).
     */
    void writeTimeline(Path file) throws IOException {
        StringBuilder lines = new StringBuilder("# began " + markEpochMillis + "\n");
        for (int c = 0; c < latencies.size(); c++) {
            for (int i = 0; i < latencies.get(c).length; i++) {
                lines.append(String.format(Locale.ROOT, "%d %.3f %.3f%n", c, starts.get(c)[i] / 1e6,
                        latencies.get(c)[i] / 1e6));
            }
        }
        Files.writeString(file, lines);
    }

    private boolean send(byte[] body) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 204;
        } catch (Exception e) {
            return false;
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request's worth of series as node-exporter and kube-state-metrics scrapes produce them. */
    static WriteRequest request(Random random, int index, int samples, int samplesPerSeries, int labels) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        long time = 1_795_000_000_000L + index * 15_000L;
        for (int s = 0; s < samples / samplesPerSeries; s++) {
            TimeSeries.Builder series = TimeSeries.newBuilder();
            int metric = random.nextInt(400);
            List<Label> sorted = new ArrayList<>(labels);
            for (int l = 0; l < labels; l++) {
                String name = l < NAMES.length ? NAMES[l] : "label_" + l;
                sorted.add(Label.newBuilder().setName(name).setValue(value(random, l, metric)).build());
            }
            sorted.sort((a, b) -> a.getName().compareTo(b.getName()));
            series.addAllLabels(sorted);
            for (int i = 0; i < samplesPerSeries; i++) {
                // counters are whole numbers, gauges and histograms sums are fractions: both, half and half
                double value = random.nextBoolean() ? random.nextInt(1_000_000) : random.nextDouble() * 1000;
                series.addSamples(Sample.newBuilder().setValue(value).setTimestamp(time + i * 15_000L + s % 1000));
            }
            request.addTimeseries(series);
        }
        return request.build();
    }

    private static String value(Random random, int label, int metric) {
        return switch (label) {
            case 0 -> "node_metric_family_" + metric + (metric % 3 == 0 ? "_seconds_total" : "_bytes");
            case 1 -> "prod-eu-west-1";
            case 2 -> "container-" + random.nextInt(30);
            case 3 -> "http-metrics";
            case 4 -> "10.0." + random.nextInt(256) + "." + random.nextInt(256) + ":9100";
            case 5 -> "kubernetes-service-endpoints";
            case 6 -> "namespace-" + random.nextInt(40);
            case 7 -> "app-" + Long.toHexString(random.nextLong()).substring(0, 10) + "-" + random.nextInt(99_999);
            case 8 -> "service-" + random.nextInt(200);
            default -> "value-" + random.nextInt(1000);
        };
    }
}
