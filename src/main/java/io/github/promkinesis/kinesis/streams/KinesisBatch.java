package io.github.promkinesis.kinesis.streams;

import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.RecordBatch;
import io.github.promkinesis.kinesis.RecordBatches;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;

/**
 * The records of one PutRecords call. Being Iterable, it is the body the aws2-kinesis producer sends as a batch;
 * partitionKeys() is the value for its partition key header, carrying every record's own key (see EntryKeys).
 * Not a record class on purpose: Camel's bean cache hashes the body it calls a method on, and a value hash
 * would read every byte of every record.
 */
public final class KinesisBatch implements Iterable<ByteBuffer>, RecordBatch {

    /** PutRecords: at most 500 entries, 5 MiB per call and 1 MiB per entry, partition keys included. */
    public static final RecordBatches.Limits LIMITS = new RecordBatches.Limits(500, 5 * 1024 * 1024, 1024 * 1024,
            KinesisRecord::entryBytes);

    private final List<KinesisRecord> records;

    public KinesisBatch(List<KinesisRecord> records) {
        this.records = records;
    }

    @Override
    public List<KinesisRecord> records() {
        return records;
    }

    @Override
    public Iterator<ByteBuffer> iterator() {
        // the SDK copies from each; the records stay intact for retries
        return records.stream().map(record -> record.data().duplicate()).iterator();
    }

    /** The write route's {@code kinesisBatches}. */
    public static RecordBatches batches() {
        return new RecordBatches(LIMITS, KinesisBatch::new);
    }

    public int size() {
        return records.size();
    }

    public String partitionKeys() {
        return EntryKeys.encode(records);
    }
}
