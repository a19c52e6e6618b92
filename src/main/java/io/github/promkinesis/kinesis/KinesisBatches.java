package io.github.promkinesis.kinesis;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups a request's records into PutRecords batches that respect every Kinesis limit: at most 500 entries,
 * at most 5 MiB per call and 1 MiB per entry, partition keys included. The aws2-kinesis producer only splits
 * by count, so the byte limits are enforced here, before anything is sent. Every key is counted at its longest
 * ASCII length, so a batch fits whatever key it gets.
 */
public final class KinesisBatches {

    public static final int MAX_ENTRIES = 500;
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    public static final int MAX_ENTRY_BYTES = 1024 * 1024;

    private final PartitionKeys partitionKeys;

    public KinesisBatches(PartitionKeys partitionKeys) {
        this.partitionKeys = partitionKeys;
    }

    public KinesisBatches() {
        this(new PartitionKeys());
    }

    public List<KinesisBatch> split(List<byte[]> records) {
        List<KinesisBatch> batches = new ArrayList<>(records.size() / MAX_ENTRIES + 1);
        List<byte[]> current = new ArrayList<>(Math.min(records.size(), MAX_ENTRIES));
        long currentBytes = 0;
        for (byte[] record : records) {
            int entryBytes = record.length + PartitionKeys.MAX_LENGTH;
            if (entryBytes > MAX_ENTRY_BYTES) {
                throw new RecordTooLargeException(entryBytes, MAX_ENTRY_BYTES);
            }
            if (current.size() == MAX_ENTRIES || currentBytes + entryBytes > MAX_REQUEST_BYTES) {
                batches.add(new KinesisBatch(partitionKeys.next(), current));
                current = new ArrayList<>(MAX_ENTRIES);
                currentBytes = 0;
            }
            current.add(record);
            currentBytes += entryBytes;
        }
        if (!current.isEmpty()) {
            batches.add(new KinesisBatch(partitionKeys.next(), current));
        }
        return batches;
    }
}
