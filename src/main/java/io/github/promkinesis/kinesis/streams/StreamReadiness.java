package io.github.promkinesis.kinesis.streams;

import io.github.promkinesis.kinesis.StreamProblems;
import io.github.promkinesis.kinesis.StreamReadinessCheck;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Readiness of a Kinesis data stream, as firehose.FirehoseReadiness is of a Firehose stream. */
public final class StreamReadiness {

    private StreamReadiness() {
    }

    /** The Kinesis data stream, by name or ARN: ACTIVE or UPDATING (which still takes writes). */
    public static StreamReadinessCheck check(KinesisClient kinesis, String stream, Duration cache) {
        return new StreamReadinessCheck("kinesis-stream", stream, () -> {
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
        }, cache);
    }
}
