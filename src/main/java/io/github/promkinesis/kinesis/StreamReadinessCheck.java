package io.github.promkinesis.kinesis;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Ready only while the stream is reachable and ACTIVE (UPDATING still takes writes). The answer is kept for a
 * while, so frequent probes do not turn into DescribeStreamSummary calls, which Kinesis limits to 20/s per account.
 */
public final class StreamReadinessCheck extends AbstractHealthCheck {

    private final KinesisClient kinesis;
    private final String stream;
    private final long cacheNanos;
    private volatile long checkedAt;
    private volatile String problem = "not checked yet";

    public StreamReadinessCheck(KinesisClient kinesis, String stream, Duration cache) {
        super("prometheus-remote-kinesis", "kinesis-stream");
        this.kinesis = kinesis;
        this.stream = stream;
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
        builder.detail("stream", stream);
        if (problem == null) {
            builder.up();
        } else {
            builder.message(problem).down();
        }
    }

    /** Null when writes can go to the stream, else why not, in one line. Also starts the cache over. */
    public String checkNow() {
        problem = describe();
        checkedAt = System.nanoTime();
        return problem;
    }

    private String describe() {
        try {
            StreamStatus status = kinesis.describeStreamSummary(r -> {
                if (StreamId.isArn(stream)) {
                    r.streamARN(stream);
                } else {
                    r.streamName(stream);
                }
            }).streamDescriptionSummary().streamStatus();
            return status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING ? null
                    : "stream " + stream + " is " + status;
        } catch (SdkException e) {
            return StreamProblems.describe(stream, e);
        }
    }
}
