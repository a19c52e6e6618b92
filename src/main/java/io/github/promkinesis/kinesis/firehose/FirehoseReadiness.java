package io.github.promkinesis.kinesis.firehose;

import io.github.promkinesis.kinesis.StreamProblems;
import io.github.promkinesis.kinesis.StreamReadinessCheck;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;

/** Readiness of a Firehose stream: DescribeDeliveryStream says ACTIVE (CREATING and the failures do not take writes). */
public final class FirehoseReadiness {

    private FirehoseReadiness() {
    }

    public static StreamReadinessCheck check(FirehoseClient firehose, String name, Duration cache) {
        return new StreamReadinessCheck("firehose-stream", name, () -> {
            try {
                DeliveryStreamStatus status = firehose.describeDeliveryStream(r -> r.deliveryStreamName(name))
                        .deliveryStreamDescription().deliveryStreamStatus();
                return status == DeliveryStreamStatus.ACTIVE ? null : "Firehose stream " + name + " is " + status;
            } catch (SdkException e) {
                return StreamProblems.describe("Firehose stream " + name, "FIREHOSE_STREAM_NAME", "Firehose", e);
            }
        }, cache);
    }
}
