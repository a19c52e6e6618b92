package io.github.promkinesis.tools;

import io.github.promkinesis.kinesis.streams.ShardPages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Reads a stream's records back, shard by shard; creates streams for local runs and tests. */
public final class StreamReader {

    private final KinesisClient kinesis;
    private final String stream;

    public StreamReader(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** Creates the stream unless it exists, and waits until it is ACTIVE. */
    public void createIfMissing(int shards, Duration timeout) throws InterruptedException {
        try {
            kinesis.createStream(CreateStreamRequest.builder().streamName(stream).shardCount(shards).build());
        } catch (ResourceInUseException alreadyThere) {
            // an existing stream is what we want
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " not ACTIVE after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Every record in the stream now, shard after shard, each shard in sequence order. */
    public List<Record> readAll() {
        return read(iteratorsAt(ShardIteratorType.TRIM_HORIZON));
    }

    /** One iterator per shard: LATEST marks "now", so that {@link #read} returns what arrives after it. */
    public List<String> iteratorsAt(ShardIteratorType type) {
        List<String> iterators = new ArrayList<>();
        for (Shard shard : shards()) {
            iterators.add(kinesis.getShardIterator(
                    r -> r.streamName(stream).shardId(shard.shardId()).shardIteratorType(type)).shardIterator());
        }
        return iterators;
    }

    /** The records from each iterator up to the end of its shard as it is now. */
    public List<Record> read(List<String> iterators) {
        List<Record> records = new ArrayList<>();
        for (String start : iterators) {
            ShardPages pages = new ShardPages(kinesis, start);
            for (List<Record> page = pages.next(); page != null; page = pages.next()) {
                records.addAll(page);
            }
        }
        return records;
    }

    /** Hands every record that arrives from now on to the consumer, until the thread is interrupted. */
    public void follow(Consumer<Record> consumer, Duration poll) throws InterruptedException {
        List<String> iterators = iteratorsAt(ShardIteratorType.LATEST);
        while (!Thread.currentThread().isInterrupted()) {
            for (int i = 0; i < iterators.size(); i++) {
                String current = iterators.get(i);
                GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(current));
                page.records().forEach(consumer);
                iterators.set(i, page.nextShardIterator());
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private List<Shard> shards() {
        return kinesis.listShards(r -> r.streamName(stream)).shards();
    }
}
