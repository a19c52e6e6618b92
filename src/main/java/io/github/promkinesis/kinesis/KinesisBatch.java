package io.github.promkinesis.kinesis;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;

/**
 * The records of one PutRecords call. Being Iterable, it is the body the aws2-kinesis producer sends as a batch;
 * partitionKeys() is the value for its partition key header, carrying every record's own key (see EntryKeys).
 * Not a record class on purpose: Camel's bean cache hashes the body it calls a method on, and a value hash
 * would read every byte of every record.
 */
public final class KinesisBatch implements Iterable<ByteBuffer> {

    private final List<KinesisRecord> records;

    public KinesisBatch(List<KinesisRecord> records) {
        this.records = records;
    }

    public List<KinesisRecord> records() {
        return records;
    }

    @Override
    public Iterator<ByteBuffer> iterator() {
        Iterator<KinesisRecord> each = records.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return each.hasNext();
            }

            @Override
            public ByteBuffer next() {
                return each.next().data().duplicate(); // the SDK copies from it; the record stays intact for retries
            }
        };
    }

    public int size() {
        return records.size();
    }

    /** The float samples the batch carries. */
    public int samples() {
        return records.stream().mapToInt(KinesisRecord::samples).sum();
    }

    public int histograms() {
        return records.stream().mapToInt(KinesisRecord::histograms).sum();
    }

    public int exemplars() {
        return records.stream().mapToInt(KinesisRecord::exemplars).sum();
    }

    public String partitionKeys() {
        return EntryKeys.encode(records);
    }
}
