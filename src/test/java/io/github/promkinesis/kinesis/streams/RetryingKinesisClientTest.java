package io.github.promkinesis.kinesis.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.kinesis.DeliveryEvents;
import io.github.promkinesis.kinesis.DeliveryFailedException;
import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.RetryPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Unit test with a scripted fake of the SDK client; delivery to a real server is proven in the ITs. */
class RetryingKinesisClientTest {

    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMillis(1),
            Duration.ofMillis(5));

    private final List<List<String>> calls = new ArrayList<>();
    private final List<List<String>> keys = new ArrayList<>();
    private final Deque<Function<PutRecordsRequest, PutRecordsResponse>> script = new ArrayDeque<>();
    private final List<String> events = new ArrayList<>();

    @Test
    void resendsOnlyTheRejectedEntriesAndAnswersInTheOriginalOrder() {
        script.add(request -> answer(request, "b", "ProvisionedThroughputExceededException", "d", "InternalFailure"));
        script.add(request -> answer(request, "d", "InternalFailure"));
        script.add(request -> answer(request));

        PutRecordsResponse response = client(FAST).putRecords(request("a", "b", "c", "d"));

        assertEquals(List.of(List.of("a", "b", "c", "d"), List.of("b", "d"), List.of("d")), calls);
        assertEquals(0, response.failedRecordCount());
        assertEquals(List.of("seq-a", "seq-b", "seq-c", "seq-d"),
                response.records().stream().map(PutRecordsResultEntry::sequenceNumber).toList());
        assertEquals(List.of("attempted 4", "accepted 2 (2 bytes)",
                "rejected {InternalFailure=1, ProvisionedThroughputExceededException=1}", "retried 2",
                "attempted 2", "accepted 1 (1 bytes)", "rejected {InternalFailure=1}", "retried 1",
                "attempted 1", "accepted 1 (1 bytes)"), events);
    }

    @Test
    void retriesWholeCallsThatFailedForRetryableReasons() {
        script.add(request -> {
            throw SdkClientException.create("Connection reset");
        });
        script.add(request -> {
            throw (KinesisException) KinesisException.builder().statusCode(500).message("boom").build();
        });
        script.add(request -> answer(request));

        assertEquals(0, client(FAST).putRecords(request("a")).failedRecordCount());
        assertEquals(3, calls.size());
    }

    @Test
    void givesUpWhenTheBudgetIsSpentNamingWhatIsLeft() {
        RetryPolicy tight = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(20));
        for (int i = 0; i < 1000; i++) {
            script.add(request -> answer(request, "b", "ProvisionedThroughputExceededException"));
        }

        DeliveryFailedException failure = assertThrows(DeliveryFailedException.class,
                () -> client(tight).putRecords(request("a", "b")));

        assertTrue(failure.getMessage().startsWith("1 records not accepted"), failure.getMessage());
        assertTrue(calls.size() >= 2 && calls.size() < 100, "calls " + calls.size());
    }

    @Test
    void doesNotRetryWhatCanNeverSucceed() {
        script.add(request -> {
            throw ResourceNotFoundException.builder().statusCode(400).message("Stream x not found").build();
        });

        assertThrows(ResourceNotFoundException.class, () -> client(FAST).putRecords(request("a")));
        assertEquals(1, calls.size());
    }

    @Test
    void givesEveryEntryItsOwnKeyFromTheBatchHeaderAlsoOnRetries() {
        script.add(request -> answer(request, "b", "ProvisionedThroughputExceededException"));
        script.add(request -> answer(request));
        KinesisBatch batch = new KinesisBatch(List.of(record("ka", "a"), record("kb", "b"), record("kc", "c")));

        client(FAST).putRecords(keyed(batch.partitionKeys(), "a", "b", "c"));

        assertEquals(List.of(List.of("ka", "kb", "kc"), List.of("kb")), keys);
    }

    @Test
    void refusesAHeaderWhoseKeysDoNotMatchTheEntries() {
        KinesisBatch batch = new KinesisBatch(List.of(record("ka", "a"), record("kb", "b")));

        assertThrows(IllegalStateException.class, () -> client(FAST).putRecords(keyed(batch.partitionKeys(), "a")));
        assertEquals(0, calls.size());
    }

    @Test
    void plainKeysPassUnchanged() {
        script.add(request -> answer(request));

        client(FAST).putRecords(request("a", "b"));

        assertEquals(List.of(List.of("k", "k")), keys);
    }

    private static KinesisRecord record(String key, String data) {
        return new KinesisRecord(key, ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)), 1, 0, 0);
    }

    private RetryingKinesisClient client(RetryPolicy policy) {
        KinesisClient fake = new KinesisClient() {
            @Override
            public PutRecordsResponse putRecords(PutRecordsRequest request) {
                calls.add(request.records().stream().map(e -> e.data().asUtf8String()).toList());
                keys.add(request.records().stream().map(PutRecordsRequestEntry::partitionKey).toList());
                return script.removeFirst().apply(request);
            }

            @Override
            public String serviceName() {
                return "kinesis";
            }

            @Override
            public void close() {
            }
        };
        DeliveryEvents recorder = new DeliveryEvents() {
            @Override
            public void attempted(int entries) {
                events.add("attempted " + entries);
            }

            @Override
            public void accepted(int records, long bytes) {
                events.add("accepted " + records + " (" + bytes + " bytes)");
            }

            @Override
            public void entriesRejected(Map<String, Integer> countsByErrorCode) {
                events.add("rejected " + countsByErrorCode);
            }

            @Override
            public void callFailed(Exception failure) {
                events.add("failed " + failure.getMessage());
            }

            @Override
            public void retried(int records) {
                events.add("retried " + records);
            }
        };
        return new RetryingKinesisClient(fake, policy, recorder);
    }

    private static PutRecordsRequest request(String... data) {
        return keyed("k", data);
    }

    /** As the aws2-kinesis producer builds it: one key (the header's value) on every entry. */
    private static PutRecordsRequest keyed(String key, String... data) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (String d : data) {
            entries.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromUtf8String(d)).partitionKey(key).build());
        }
        return PutRecordsRequest.builder().streamName("s").records(entries).build();
    }

    /** Accepts every entry except the given (data, error code) pairs. */
    private static PutRecordsResponse answer(PutRecordsRequest request, String... rejections) {
        Map<String, String> rejected = new HashMap<>();
        for (int i = 0; i < rejections.length; i += 2) {
            rejected.put(rejections[i], rejections[i + 1]);
        }
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (PutRecordsRequestEntry entry : request.records()) {
            String data = entry.data().asUtf8String();
            results.add(rejected.containsKey(data)
                    ? PutRecordsResultEntry.builder().errorCode(rejected.get(data)).errorMessage("no").build()
                    : PutRecordsResultEntry.builder().sequenceNumber("seq-" + data).shardId("shard-0").build());
        }
        return PutRecordsResponse.builder().failedRecordCount(rejected.size()).records(results).build();
    }
}
