package io.github.promkinesis.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Groups a request's records, in order, into the calls of one sink, within that service's limits per call. The
 * producers of aws2-kinesis and aws2-kinesis-firehose only split by count, so the byte limits are kept here,
 * before anything is sent. Each service states its limits and its batch (streams.KinesisBatch,
 * firehose.FirehoseBatch).
 */
public final class RecordBatches {

    /**
     * One service's limits: entries and bytes per call, bytes per entry, each record weighing {@code weight}
     * (Kinesis counts the partition key, Firehose only the data).
     */
    public record Limits(int maxEntries, int maxRequestBytes, int maxEntryBytes, ToIntFunction<KinesisRecord> weight) {
    }

    private final Limits limits;
    private final Function<List<KinesisRecord>, ? extends RecordBatch> batch;

    public RecordBatches(Limits limits, Function<List<KinesisRecord>, ? extends RecordBatch> batch) {
        this.limits = limits;
        this.batch = batch;
    }

    /** The batches of one call each; a record over the entry limit refuses the request (400: it can never be sent). */
    public List<RecordBatch> split(List<KinesisRecord> records) {
        List<RecordBatch> batches = new ArrayList<>(records.size() / limits.maxEntries() + 1);
        List<KinesisRecord> current = new ArrayList<>(Math.min(records.size(), limits.maxEntries()));
        long currentBytes = 0;
        for (KinesisRecord record : records) {
            int entryBytes = limits.weight().applyAsInt(record);
            if (entryBytes > limits.maxEntryBytes()) {
                throw new RecordTooLargeException(entryBytes, limits.maxEntryBytes());
            }
            if (current.size() == limits.maxEntries() || currentBytes + entryBytes > limits.maxRequestBytes()) {
                batches.add(batch.apply(current));
                current = new ArrayList<>(limits.maxEntries());
                currentBytes = 0;
            }
            current.add(record);
            currentBytes += entryBytes;
        }
        if (!current.isEmpty()) {
            batches.add(batch.apply(current));
        }
        return batches;
    }
}
