package io.github.promkinesis.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The client the aws2-kinesis producer is given: PutRecords that resends only the entries Kinesis rejected
 * (throttling, internal failure), and retries failed calls (5xx, throttling, timeouts, resets), with exponential
 * backoff and full jitter, until every entry is accepted or the request's deadline (DeliveryDeadline) comes; a call
 * made outside a request gets the policy's budget. The backoff grows only
 * while attempts make no progress: a call that got some entries accepted shows there is capacity again.
 * The Camel producer throws away which entries failed; resending the whole batch would duplicate the accepted ones.
 * It also puts one partition key on every entry: this client gives each entry its own (EntryKeys).
 */
public final class RetryingKinesisClient implements KinesisClient {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingKinesisClient.class);

    private final KinesisClient kinesis;
    private final RetryPolicy policy;
    private final DeliveryEvents events;
    private final LongSupplier nanoTime;

    public RetryingKinesisClient(KinesisClient kinesis, RetryPolicy policy, DeliveryEvents events, LongSupplier nanoTime) {
        this.kinesis = kinesis;
        this.policy = policy;
        this.events = events;
        this.nanoTime = nanoTime;
    }

    public RetryingKinesisClient(KinesisClient kinesis, RetryPolicy policy, DeliveryEvents events) {
        this(kinesis, policy, events, System::nanoTime);
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest batch) {
        PutRecordsRequest request = EntryKeys.decode(batch);
        if (StreamId.isArn(request.streamName())) { // Camel names the stream as STREAM_NAME gives it
            request = request.toBuilder().streamName(null).streamARN(request.streamName()).build();
        }
        long deadline = DeliveryDeadline.takeForThisCall().orElse(nanoTime.getAsLong() + policy.budget().toNanos());
        List<PutRecordsRequestEntry> pending = request.records();
        int[] positions = identity(pending.size());
        PutRecordsResultEntry[] results = new PutRecordsResultEntry[pending.size()];
        int withoutProgress = 0;
        for (int attempt = 1; ; attempt++) {
            PutRecordsResponse response;
            events.attempted(pending.size());
            try {
                response = kinesis.putRecords(request.toBuilder().records(pending).build());
            } catch (SdkException e) {
                if (!isRetryable(e)) {
                    throw e;
                }
                events.callFailed(e);
                backOffOrGiveUp(attempt, ++withoutProgress, deadline, pending.size(), "the call failed: " + e.getMessage());
                continue;
            }
            List<PutRecordsRequestEntry> rejected = new ArrayList<>();
            List<Integer> rejectedPositions = new ArrayList<>();
            Map<String, Integer> errors = new TreeMap<>();
            long acceptedBytes = 0;
            for (int i = 0; i < pending.size(); i++) {
                PutRecordsResultEntry result = response.records().get(i);
                if (result.errorCode() == null) {
                    results[positions[i]] = result;
                    acceptedBytes += pending.get(i).data().asByteBuffer().remaining();
                } else {
                    rejected.add(pending.get(i));
                    rejectedPositions.add(positions[i]);
                    errors.merge(result.errorCode(), 1, Integer::sum);
                }
            }
            events.accepted(pending.size() - rejected.size(), acceptedBytes);
            if (rejected.isEmpty()) {
                return PutRecordsResponse.builder().failedRecordCount(0).records(results)
                        .encryptionType(response.encryptionType()).build();
            }
            events.entriesRejected(errors);
            withoutProgress = rejected.size() < pending.size() ? 1 : withoutProgress + 1;
            pending = rejected;
            positions = rejectedPositions.stream().mapToInt(Integer::intValue).toArray();
            backOffOrGiveUp(attempt, withoutProgress, deadline, pending.size(), "Kinesis rejected entries " + errors);
        }
    }

    private void backOffOrGiveUp(int attempt, int withoutProgress, long deadline, int pending, String why) {
        long backoff = policy.backoffNanos(withoutProgress, ThreadLocalRandom.current());
        if (nanoTime.getAsLong() + backoff >= deadline) {
            throw new DeliveryFailedException(pending + " records not accepted before the delivery deadline after "
                + attempt + " attempts; last: " + why);
        }
        LOG.debug("attempt {} left {} records undelivered ({}); retrying in {} ms", attempt, pending, why,
                backoff / 1_000_000);
        events.retried(pending);
        try {
            Thread.sleep(backoff / 1_000_000, (int) (backoff % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException(pending + " records not accepted: interrupted while backing off");
        }
    }

    /** Client-side failures (timeouts, refused or reset connections), throttling and 5xx are worth another try. */
    static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    private static int[] identity(int size) {
        int[] positions = new int[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i;
        }
        return positions;
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
