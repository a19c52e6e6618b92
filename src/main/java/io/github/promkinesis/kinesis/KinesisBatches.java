package io.github.promkinesis.kinesis;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups a request's records into PutRecords batches that respect every Kinesis limit: at most 500 entries,
 * at most 5 MiB per call and 1 MiB per entry, partition keys included. The aws2-kinesis producer only splits
 * by count, so the byte limits are enforced here, before anything is sent.
 */
public final class KinesisBatches {

    public static final int MAX_ENTRIES = 500;
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    public static final int MAX_ENTRY_BYTES = 1024 * 1024;

    public List<KinesisBatch> split(List<KinesisRecord> records) {
        List<KinesisBatch> batches = new ArrayList<>(records.size() / MAX_ENTRIES + 1);
        List<KinesisRecord> current = new ArrayList<>(Math.min(records.size(), MAX_ENTRIES));
        long currentBytes = 0;
        for (KinesisRecord record : records) {
            int entryBytes = record.entryBytes();
            if (entryBytes > MAX_ENTRY_BYTES) {
                throw new RecordTooLargeException(entryBytes, MAX_ENTRY_BYTES);
            }
            if (current.size() == MAX_ENTRIES || currentBytes + entryBytes > MAX_REQUEST_BYTES) {
                batches.add(new KinesisBatch(current));
                current = new ArrayList<>(MAX_ENTRIES);
                currentBytes = 0;
            }
            current.add(record);
            currentBytes += entryBytes;
        }
        if (!current.isEmpty()) {
            batches.add(new KinesisBatch(current));
        }
        return batches;
    }
}
