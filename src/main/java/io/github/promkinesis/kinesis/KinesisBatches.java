package io.github.promkinesis.kinesis;

import io.github.promkinesis.kinesis.streams.KinesisBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

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
        return group(records, MAX_ENTRIES, MAX_REQUEST_BYTES, MAX_ENTRY_BYTES, KinesisRecord::entryBytes).stream()
                .map(KinesisBatch::new).toList();
    }

    /**
     * Records in order, cut into groups of at most {@code maxEntries} and {@code maxRequestBytes}, each record
     * weighing {@code weight}; a record over {@code maxEntryBytes} refuses the request (400: it can never be sent).
     */
    public static List<List<KinesisRecord>> group(List<KinesisRecord> records, int maxEntries, int maxRequestBytes,
                                                  int maxEntryBytes, ToIntFunction<KinesisRecord> weight) {
        List<List<KinesisRecord>> groups = new ArrayList<>(records.size() / maxEntries + 1);
        List<KinesisRecord> current = new ArrayList<>(Math.min(records.size(), maxEntries));
        long currentBytes = 0;
        for (KinesisRecord record : records) {
            int entryBytes = weight.applyAsInt(record);
            if (entryBytes > maxEntryBytes) {
                throw new RecordTooLargeException(entryBytes, maxEntryBytes);
            }
            if (current.size() == maxEntries || currentBytes + entryBytes > maxRequestBytes) {
                groups.add(current);
                current = new ArrayList<>(maxEntries);
                currentBytes = 0;
            }
            current.add(record);
            currentBytes += entryBytes;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }
}
