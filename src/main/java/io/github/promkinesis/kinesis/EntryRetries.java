package io.github.promkinesis.kinesis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends a batch until every entry is accepted or the request's deadline (DeliveryDeadline) comes; a call made
 * outside a request gets the policy's budget. Kinesis PutRecords and Firehose PutRecordBatch answer the same way:
 * one result per entry, in order, with an error code on the rejected ones. Only those are resent (resending the
 * whole batch would duplicate the accepted ones); failed calls (5xx, throttling, timeouts, resets) are retried.
 * Exponential backoff with full jitter, growing only while attempts make no progress: a call that got some
 * entries accepted shows there is capacity again.
 */
public final class EntryRetries {

    private static final Logger LOG = LoggerFactory.getLogger(EntryRetries.class);

    private final RetryPolicy policy;
    private final DeliveryEvents events;
    private final LongSupplier nanoTime;
    private final String service;

    /** {@code service} names the sink in messages: "Kinesis", "Firehose". */
    public EntryRetries(RetryPolicy policy, DeliveryEvents events, LongSupplier nanoTime, String service) {
        this.policy = policy;
        this.events = events;
        this.nanoTime = nanoTime;
        this.service = service;
    }

    /**
     * The accepted results, in entry order. {@code call} sends some entries and answers their results in the same
     * order; {@code errorCode} is null for an accepted one; {@code dataBytes} is what an entry weighs, for metrics.
     */
    public <E, R> List<R> deliver(List<E> entries, Function<List<E>, List<R>> call, Function<R, String> errorCode,
                                  ToLongFunction<E> dataBytes) {
        long deadline = DeliveryDeadline.takeForThisCall().orElse(nanoTime.getAsLong() + policy.budget().toNanos());
        List<E> pending = entries;
        int[] positions = new int[entries.size()];
        Arrays.setAll(positions, i -> i);
        Object[] results = new Object[entries.size()];
        int withoutProgress = 0;
        for (int attempt = 1; ; attempt++) {
            List<R> answered;
            events.attempted(pending.size());
            try {
                answered = call.apply(pending);
            } catch (SdkException e) {
                if (!isRetryable(e)) {
                    throw e;
                }
                events.callFailed(e);
                backOffOrGiveUp(attempt, ++withoutProgress, deadline, pending.size(), "the call failed: " + e.getMessage());
                continue;
            }
            List<E> rejected = new ArrayList<>();
            int[] rejectedPositions = new int[pending.size()];
            Map<String, Integer> errors = new TreeMap<>();
            long acceptedBytes = 0;
            for (int i = 0; i < pending.size(); i++) {
                R result = answered.get(i);
                String error = errorCode.apply(result);
                if (error == null) {
                    results[positions[i]] = result;
                    acceptedBytes += dataBytes.applyAsLong(pending.get(i));
                } else {
                    rejectedPositions[rejected.size()] = positions[i];
                    rejected.add(pending.get(i));
                    errors.merge(error, 1, Integer::sum);
                }
            }
            events.accepted(pending.size() - rejected.size(), acceptedBytes);
            if (rejected.isEmpty()) {
                @SuppressWarnings("unchecked") // every slot holds an R once nothing is pending
                List<R> all = (List<R>) Arrays.asList(results);
                return all;
            }
            events.entriesRejected(errors);
            withoutProgress = rejected.size() < pending.size() ? 1 : withoutProgress + 1;
            pending = rejected;
            positions = Arrays.copyOf(rejectedPositions, rejected.size());
            backOffOrGiveUp(attempt, withoutProgress, deadline, pending.size(), service + " rejected entries " + errors);
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
}
