package io.github.promkinesis.kinesis.firehose;

import io.github.promkinesis.kinesis.KinesisBatches;
import io.github.promkinesis.kinesis.KinesisRecord;
import java.util.List;

/**
 * Groups a request's records into PutRecordBatch calls within Firehose's limits, which differ from Kinesis' and
 * "cannot be changed": at most 500 records and 4 MiB per call, each record at most 1,000 KiB. Firehose has no
 * partition keys; only the data counts.
 */
public final class FirehoseBatches {

    public static final int MAX_RECORDS = 500;
    public static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    public static final int MAX_RECORD_BYTES = 1000 * 1024;

    public List<FirehoseBatch> split(List<KinesisRecord> records) {
        return KinesisBatches.group(records, MAX_RECORDS, MAX_REQUEST_BYTES, MAX_RECORD_BYTES,
                record -> record.data().remaining()).stream().map(FirehoseBatch::new).toList();
    }
}
