package io.github.promkinesis.kinesis.firehose;

import io.github.promkinesis.kinesis.DeliveryEvents;
import io.github.promkinesis.kinesis.EntryRetries;
import io.github.promkinesis.kinesis.RetryPolicy;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DescribeDeliveryStreamRequest;
import software.amazon.awssdk.services.firehose.model.DescribeDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchRequest;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The client the aws2-kinesis-firehose producer is given: PutRecordBatch that resends only the records Firehose
 * rejected (FailedPutCount, an ErrorCode per entry) and retries failed calls, with the same backoff and deadline
 * as Kinesis ({@link EntryRetries}). The Camel producer hands back the answer without looking at it.
 */
public final class RetryingFirehoseClient implements FirehoseClient {

    private final FirehoseClient firehose;
    private final EntryRetries retries;

    public RetryingFirehoseClient(FirehoseClient firehose, RetryPolicy policy, DeliveryEvents events,
                                  LongSupplier nanoTime) {
        this.firehose = firehose;
        this.retries = new EntryRetries(policy, events, nanoTime, "Firehose");
    }

    public RetryingFirehoseClient(FirehoseClient firehose, RetryPolicy policy, DeliveryEvents events) {
        this(firehose, policy, events, System::nanoTime);
    }

    @Override
    public PutRecordBatchResponse putRecordBatch(PutRecordBatchRequest request) {
        PutRecordBatchResponse[] last = new PutRecordBatchResponse[1];
        List<PutRecordBatchResponseEntry> results = retries.deliver(request.records(), (List<Record> pending) -> {
            last[0] = firehose.putRecordBatch(request.toBuilder().records(pending).build());
            return last[0].requestResponses();
        }, PutRecordBatchResponseEntry::errorCode, entry -> entry.data().asByteBuffer().remaining());
        return PutRecordBatchResponse.builder().failedPutCount(0).requestResponses(results)
                .encrypted(last[0].encrypted()).build();
    }

    @Override
    public DescribeDeliveryStreamResponse describeDeliveryStream(DescribeDeliveryStreamRequest request) {
        return firehose.describeDeliveryStream(request);
    }

    @Override
    public String serviceName() {
        return firehose.serviceName();
    }

    @Override
    public void close() {
        firehose.close();
    }
}
