package io.github.promkinesis.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * serve-archive's metrics, and the first step of its route ({@code observe-request}): each remote-read request by
 * status code and duration once answered, and the series and samples answered.
 */
public final class ReadMetrics implements Processor {

    /** Its name in Camel's registry. */
    public static final String BEAN = "readMetrics";
    private static final String PREFIX = "prometheus.remote.kinesis.read.";

    private final MeterRegistry registry;
    private final Counter series;
    private final Counter samples;
    /** What the disk cache's meters read, held here: Micrometer holds a function counter's only weakly. */
    private volatile List<LongSupplier> diskCache;

    public ReadMetrics(MeterRegistry registry) {
        this.registry = registry;
        series = Counter.builder(PREFIX + "series").description("Series answered to remote read").register(registry);
        samples = Counter.builder(PREFIX + "samples").description("Float samples answered to remote read")
                .register(registry);
    }

    @Override
    public void process(Exchange exchange) {
        long started = System.nanoTime();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                String code = Integer.toString(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500,
                        Integer.class));
                Counter.builder(PREFIX + "requests").description("Remote-read requests answered, by status code")
                        .tags("code", code).register(registry).increment();
                Timer.builder(PREFIX + "request.duration").description("Time to answer a remote-read request")
                        .tags("code", code).register(registry).record(System.nanoTime() - started,
                                TimeUnit.NANOSECONDS);
            }
        });
    }

    /** An answer cut off after its head was sent (a failure, or the client gone). */
    public void cut() {
        Counter.builder(PREFIX + "answers.cut").description("Remote-read answers cut off after their status was"
                + " sent: a day unreadable, READ_TIMEOUT, or the client gone").register(registry).increment();
    }

    /** The disk cache of S3's objects (READ_CACHE_DIR): its blocks read from disk and from S3, its files' size. */
    public void diskCache(LongSupplier hits, LongSupplier misses, LongSupplier bytes) {
        diskCache = List.of(hits, misses, bytes);
        FunctionCounter.builder(PREFIX + "cache.hits", hits, LongSupplier::getAsLong)
                .description("Blocks of S3 objects read from the disk cache (READ_CACHE_DIR)").register(registry);
        FunctionCounter.builder(PREFIX + "cache.misses", misses, LongSupplier::getAsLong)
                .description("Blocks of S3 objects read from S3: not in the disk cache, or damaged there")
                .register(registry);
        Gauge.builder(PREFIX + "cache.bytes", bytes, LongSupplier::getAsLong)
                .description("Size of the disk cache's blocks, at most READ_CACHE_BYTES").register(registry);
    }

    /** A series answered with this many float samples. */
    public void answered(int floatSamples) {
        series.increment();
        samples.increment(floatSamples);
    }
}
