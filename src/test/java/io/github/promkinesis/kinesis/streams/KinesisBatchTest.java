package io.github.promkinesis.kinesis.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.RecordTooLargeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KinesisBatchTest {

    private static final String KEY = "0123456789abcdef";

    private static List<KinesisBatch> split(List<KinesisRecord> records) {
        return KinesisBatch.batches().split(records).stream().map(KinesisBatch.class::cast).toList();
    }

    @ParameterizedTest
    @CsvSource({"0, ''", "1, 1", "499, 499", "500, 500", "501, '500,1'", "1000, '500,500'", "1001, '500,500,1'"})
    void splitsByEntryCount(int records, String expectedSizes) {
        List<KinesisBatch> split = split(records(records, 100));

        assertEquals(expectedSizes, String.join(",", split.stream().map(b -> String.valueOf(b.size())).toList()));
    }

    @Test
    void keepsEveryRecordInOrder() {
        List<KinesisRecord> records = records(1234, 10);

        List<KinesisRecord> rejoined = new ArrayList<>();
        split(records).forEach(batch -> rejoined.addAll(batch.records()));

        assertEquals(records.size(), rejoined.size());
        for (int i = 0; i < records.size(); i++) {
            assertSame(records.get(i), rejoined.get(i));
        }
    }

    @Test
    void splitsAtTheFiveMebibyteRequestLimitIncludingPartitionKeys() {
        int perEntry = 81_920; // divides 5 MiB: 64 entries fill a request to the byte
        int recordBytes = perEntry - KEY.length();
        int fit = KinesisBatch.LIMITS.maxRequestBytes() / perEntry;

        List<KinesisBatch> exactly = split(records(fit, recordBytes));
        List<KinesisBatch> oneMore = split(records(fit + 1, recordBytes));
        List<KinesisBatch> oneByteMore = split(records(fit, recordBytes + 1));

        assertEquals(List.of(fit), sizes(exactly));
        assertEquals(List.of(fit, 1), sizes(oneMore));
        assertEquals(List.of(fit - 1, 1), sizes(oneByteMore));
        for (List<KinesisBatch> split : List.of(exactly, oneMore, oneByteMore)) {
            split.forEach(KinesisBatchTest::assertWithinLimits);
        }
    }

    @Test
    void countsKeysInUtf8Bytes() {
        String key = "é".repeat(100); // 100 characters, 200 bytes
        KinesisRecord record = new KinesisRecord(key, ByteBuffer.allocate(KinesisBatch.LIMITS.maxEntryBytes() - 200), 1, 0, 0);

        assertEquals(KinesisBatch.LIMITS.maxEntryBytes(), record.entryBytes());
        assertThrows(RecordTooLargeException.class, () -> split(List.of(
                new KinesisRecord(key, ByteBuffer.allocate(KinesisBatch.LIMITS.maxEntryBytes() - 199), 1, 0, 0))));
    }

    @Test
    void fillsRequestsOfLargeRecordsToTheByteLimit() {
        List<KinesisBatch> split = split(records(30, 900_000));

        split.forEach(KinesisBatchTest::assertWithinLimits);
        assertEquals(List.of(5, 5, 5, 5, 5, 5), sizes(split));
    }

    @Test
    void acceptsARecordAtTheEntryLimitAndRefusesOneByteMore() {
        int largest = KinesisBatch.LIMITS.maxEntryBytes() - KEY.length();

        assertEquals(1, split(records(1, largest)).size());
        assertThrows(RecordTooLargeException.class, () -> split(records(1, largest + 1)));
    }

    @Test
    void theBatchHandsTheProducerEachRecordsDataAndEveryKeyInOrder() {
        List<KinesisRecord> records = List.of(new KinesisRecord("a", ByteBuffer.wrap(new byte[] {1}), 1, 0, 0),
                new KinesisRecord("bb", ByteBuffer.wrap(new byte[] {2, 3}), 2, 0, 0));
        KinesisBatch batch = split(records).get(0);

        List<ByteBuffer> data = new ArrayList<>();
        batch.forEach(data::add);
        assertEquals(List.of(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2, 3})), data);
        assertEquals("\0a\0bb", batch.partitionKeys());
        assertEquals(3, batch.samples());
    }

    private static void assertWithinLimits(KinesisBatch batch) {
        assertTrue(batch.size() >= 1 && batch.size() <= KinesisBatch.LIMITS.maxEntries());
        long bytes = 0;
        for (KinesisRecord record : batch.records()) {
            assertTrue(record.entryBytes() <= KinesisBatch.LIMITS.maxEntryBytes());
            bytes += record.entryBytes();
        }
        assertTrue(bytes <= KinesisBatch.LIMITS.maxRequestBytes(), "request of " + bytes + " bytes");
    }

    private static List<Integer> sizes(List<KinesisBatch> split) {
        return split.stream().map(KinesisBatch::size).toList();
    }

    private static List<KinesisRecord> records(int count, int bytes) {
        List<KinesisRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new KinesisRecord(KEY, ByteBuffer.allocate(bytes), 1, 0, 0));
        }
        return Collections.unmodifiableList(records);
    }
}
