package io.github.promkinesis.kinesis;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready only while the sink (the Kinesis stream, or the Firehose stream) is reachable and takes writes. The
 * answer is kept for a while, so frequent probes do not turn into describe calls, which AWS limits (Kinesis'
 * DescribeStreamSummary 20/s per account, Firehose's DescribeDeliveryStream 20/s).
 */
public final class StreamReadinessCheck extends AbstractHealthCheck {

    private final String sink;
    private final Supplier<String> problemNow;
    private final long cacheNanos;
    private volatile long checkedAt;
    private volatile String problem = "not checked yet";

    /** {@code sink} names it in the health details; {@code problemNow} asks AWS: null when writes can go there. */
    public StreamReadinessCheck(String id, String sink, Supplier<String> problemNow, Duration cache) {
        super("prometheus-remote-kinesis", id);
        this.sink = sink;
        this.problemNow = problemNow;
        this.cacheNanos = cache.toNanos();
        this.checkedAt = System.nanoTime() - cacheNanos;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (System.nanoTime() - checkedAt >= cacheNanos) {
            checkNow();
        }
        builder.detail("stream", sink);
        if (problem == null) {
            builder.up();
        } else {
            builder.message(problem).down();
        }
    }

    /** Null when writes can go to the sink, else why not, in one line. Also starts the cache over. */
    public String checkNow() {
        problem = problemNow.get();
        checkedAt = System.nanoTime();
        return problem;
    }
}
