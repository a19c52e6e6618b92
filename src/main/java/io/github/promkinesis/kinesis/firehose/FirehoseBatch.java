package io.github.promkinesis.kinesis.firehose;

import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.RecordBatch;
import io.github.promkinesis.kinesis.RecordBatches;
import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * The records of one PutRecordBatch call. The aws2-kinesis-firehose producer sends a body that is a Collection
 * of Firehose Records as one batch, so this is that collection, made on demand from the records. Identity
 * equality on purpose, as KinesisBatch: Camel's bean cache hashes bodies.
 */
public final class FirehoseBatch extends AbstractCollection<Record> implements RecordBatch {

    /**
     * PutRecordBatch, limits that "cannot be changed": at most 500 records and 4 MiB per call, each record at most
     * 1,000 KiB. Firehose has no partition keys; only the data counts.
     */
    public static final RecordBatches.Limits LIMITS = new RecordBatches.Limits(500, 4 * 1024 * 1024, 1000 * 1024,
            record -> record.data().remaining());

    private final List<KinesisRecord> records;

    public FirehoseBatch(List<KinesisRecord> records) {
        this.records = records;
    }

    @Override
    public List<KinesisRecord> records() {
        return records;
    }

    @Override
    public Iterator<Record> iterator() {
        // one copy each, as the Kinesis producer makes; the records stay intact for retries
        return records.stream().map(record -> Record.builder()
                .data(SdkBytes.fromByteBuffer(record.data().duplicate())).build()).iterator();
    }

    /** The write route's {@code firehoseBatches}. */
    public static RecordBatches batches() {
        return new RecordBatches(LIMITS, FirehoseBatch::new);
    }

    @Override
    public int size() {
        return records.size();
    }
}
