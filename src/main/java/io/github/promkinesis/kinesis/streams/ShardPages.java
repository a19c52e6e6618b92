package io.github.promkinesis.kinesis.streams;

import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * A shard's records page by page, from an iterator up to the shard's end as it is now: done once a page comes
 * back empty and caught up (a page may be empty while records lie further on, so emptiness alone is not the end).
 */
public final class ShardPages {

    private static final int MAX_RECORDS_PER_PAGE = 10_000;

    private final KinesisClient kinesis;
    private String iterator;

    public ShardPages(KinesisClient kinesis, String iterator) {
        this.kinesis = kinesis;
        this.iterator = iterator;
    }

    /** The next page, possibly empty; null once the shard's end was reached. */
    public List<Record> next() {
        if (iterator == null) {
            return null;
        }
        String at = iterator;
        GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(at).limit(MAX_RECORDS_PER_PAGE));
        boolean caughtUp = page.records().isEmpty()
                && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0);
        iterator = caughtUp ? null : page.nextShardIterator();
        return page.records();
    }
}
