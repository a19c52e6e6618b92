package io.github.promkinesis.kinesis.streams;

import io.github.promkinesis.kinesis.KinesisRecord;
import java.util.List;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Gives every entry of a batch its own partition key through the stock aws2-kinesis producer, which puts one
 * header value on all entries of a batch: the header carries all keys, NUL-separated and in record order, and
 * RetryingKinesisClient hands each entry its own before the call. NUL never appears in a key we make, and a
 * header that reached Kinesis undecoded would be refused (keys are at most 256 characters), never misfiled.
 */
final class EntryKeys {

    private static final char SEPARATOR = '\0';

    private EntryKeys() {
    }

    static String encode(List<KinesisRecord> records) {
        StringBuilder keys = new StringBuilder(records.size() * 17);
        for (KinesisRecord record : records) {
            keys.append(SEPARATOR).append(record.partitionKey());
        }
        return keys.toString();
    }

    /** The request with each entry under its own key, or the request itself if its keys are plain. */
    static PutRecordsRequest decode(PutRecordsRequest request) {
        List<PutRecordsRequestEntry> entries = request.records();
        if (entries.isEmpty() || entries.get(0).partitionKey().isEmpty()
                || entries.get(0).partitionKey().charAt(0) != SEPARATOR) {
            return request;
        }
        String[] keys = entries.get(0).partitionKey().substring(1).split(String.valueOf(SEPARATOR), -1);
        if (keys.length != entries.size()) {
            throw new IllegalStateException(keys.length + " partition keys for " + entries.size() + " entries");
        }
        PutRecordsRequestEntry[] keyed = new PutRecordsRequestEntry[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keyed[i] = entries.get(i).toBuilder().partitionKey(keys[i]).build();
        }
        return request.toBuilder().records(keyed).build();
    }
}
