package io.github.promkinesis.kinesis.streams;

import io.github.promkinesis.kinesis.DeliveryEvents;
import io.github.promkinesis.kinesis.EntryRetries;
import io.github.promkinesis.kinesis.RetryPolicy;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The client the aws2-kinesis producer is given: PutRecords that resends only the entries Kinesis rejected
 * (throttling, internal failure) and retries failed calls, until every entry is accepted or the request's deadline
 * comes ({@link EntryRetries}). The Camel producer throws away which entries failed; resending the whole batch
 * would duplicate the accepted ones. It also puts one partition key on every entry: this client gives each entry
 * its own (EntryKeys).
 */
public final class RetryingKinesisClient implements KinesisClient {

    private final KinesisClient kinesis;
    private final EntryRetries retries;

    public RetryingKinesisClient(KinesisClient kinesis, RetryPolicy policy, DeliveryEvents events, LongSupplier nanoTime) {
        this.kinesis = kinesis;
        this.retries = new EntryRetries(policy, events, nanoTime, "Kinesis");
    }

    public RetryingKinesisClient(KinesisClient kinesis, RetryPolicy policy, DeliveryEvents events) {
        this(kinesis, policy, events, System::nanoTime);
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest batch) {
        PutRecordsRequest keyed = EntryKeys.decode(batch);
        PutRecordsRequest request = StreamId.isArn(keyed.streamName()) // Camel names the stream as STREAM_NAME gives it
                ? keyed.toBuilder().streamName(null).streamARN(keyed.streamName()).build() : keyed;
        PutRecordsResponse[] last = new PutRecordsResponse[1];
        List<PutRecordsResultEntry> results = retries.deliver(request.records(), pending -> {
            last[0] = kinesis.putRecords(request.toBuilder().records(pending).build());
            return last[0].records();
        }, PutRecordsResultEntry::errorCode, entry -> entry.data().asByteBuffer().remaining());
        return PutRecordsResponse.builder().failedRecordCount(0).records(results)
                .encryptionType(last[0].encryptionType()).build();
    }

    @Override
    public DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest request) {
        return kinesis.describeStreamSummary(request);
    }

    @Override
    public String serviceName() {
        return kinesis.serviceName();
    }

    @Override
    public void close() {
        kinesis.close();
    }
}
