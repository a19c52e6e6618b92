package io.github.promkinesis.restore;

import io.github.promkinesis.kinesis.streams.ShardPages;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * One shard of a Kinesis stream read as one archive object: its records' payloads back to back, as Firehose
 * would concatenate them, page by page from the iterator given up to the shard's end as it is now. One page is
 * held at a time.
 */
final class ShardRecords extends InputStream {

    private final ShardPages pages;
    private final Deque<Record> page = new ArrayDeque<>();
    private InputStream current = InputStream.nullInputStream();

    ShardRecords(KinesisClient kinesis, String iterator) {
        this.pages = new ShardPages(kinesis, iterator);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            int n = current.read(buffer, offset, length);
            if (n > 0) {
                return n;
            }
            if (page.isEmpty() && !nextPage()) {
                return -1;
            }
            if (!page.isEmpty()) {
                current = page.poll().data().asInputStream();
            }
        }
    }

    /** Whether there may be more: false once the shard's end was reached. */
    private boolean nextPage() {
        List<Record> next = pages.next();
        if (next == null) {
            return false;
        }
        page.addAll(next);
        return true;
    }
}
