package io.github.promkinesis.kinesis;

import java.util.Iterator;
import java.util.List;

/**
 * The records of one PutRecords call and their partition key. Being Iterable, it is the body the aws2-kinesis
 * producer sends as a batch.
 */
public record KinesisBatch(String partitionKey, List<byte[]> records) implements Iterable<byte[]> {

    @Override
    public Iterator<byte[]> iterator() {
        return records.iterator();
    }

    public int size() {
        return records.size();
    }
}
