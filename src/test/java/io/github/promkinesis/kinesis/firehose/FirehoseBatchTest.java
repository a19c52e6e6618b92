package io.github.promkinesis.kinesis.firehose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.RecordTooLargeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.model.Record;

/** PutRecordBatch's limits: 500 records and 4 MiB per call, 1,000 KiB per record, partition keys not counted. */
class FirehoseBatchTest {

    private static List<FirehoseBatch> split(List<KinesisRecord> records) {
        return FirehoseBatch.batches().split(records).stream().map(FirehoseBatch.class::cast).toList();
    }

    @Test
    void atMost500RecordsPerCall() {
        List<FirehoseBatch> split = split(records(1001, 100));
        assertEquals(List.of(500, 500, 1), split.stream().map(FirehoseBatch::size).toList());
    }

    @Test
    void atMost4MebibytesOfDataPerCallWithoutCountingKeys() {
        int size = FirehoseBatch.LIMITS.maxRequestBytes() / 5; // five fit, 4 bytes to spare: a key each would not
        List<FirehoseBatch> split = split(records(11, size));
        assertEquals(List.of(5, 5, 1), split.stream().map(FirehoseBatch::size).toList());
        assertEquals(List.of(4, 1), split(records(5, 1_000_000)).stream()
                .map(FirehoseBatch::size).toList(), "a fifth one over 4 MiB starts the next call");
    }

    @Test
    void aRecordOver1000KibibytesRefusesTheRequest() {
        assertEquals(1, split(records(1, FirehoseBatch.LIMITS.maxEntryBytes())).size());
        assertThrows(RecordTooLargeException.class, () -> split(records(1, FirehoseBatch.LIMITS.maxEntryBytes() + 1)));
    }

    @Test
    void theBatchIsTheRecordsBytesAsFirehoseRecordsAgainAndAgain() {
        List<KinesisRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(new KinesisRecord("k", ByteBuffer.wrap(("{\"line\":" + i + "}\n").getBytes(StandardCharsets.UTF_8)),
                    1, 0, 0));
        }
        FirehoseBatch batch = split(records).get(0);
        for (int round = 0; round < 2; round++) { // a retry reads them again
            List<Record> sent = new ArrayList<>(batch);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(("{\"line\":" + i + "}\n").getBytes(StandardCharsets.UTF_8), sent.get(i).data().asByteArray());
            }
        }
        assertEquals(3, batch.samples());
        assertTrue(batch.hashCode() == System.identityHashCode(batch), "no hashing of every byte by Camel's bean cache");
    }

    private static List<KinesisRecord> records(int count, int bytes) {
        List<KinesisRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new KinesisRecord("0123456789abcdef", ByteBuffer.allocate(bytes), 1, 0, 0));
        }
        return records;
    }
}
