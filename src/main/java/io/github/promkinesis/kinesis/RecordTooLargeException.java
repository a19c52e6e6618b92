package io.github.promkinesis.kinesis;

/** One record can never fit the sink's entry limit: the request is refused, not retried. */
public class RecordTooLargeException extends IllegalArgumentException {
    public RecordTooLargeException(int recordBytes, int limitBytes) {
        super("a sample's JSON line of " + recordBytes + " bytes exceeds the record limit of " + limitBytes
                + " bytes (Kinesis: partition key included; Firehose: 1,000 KiB)");
    }
}
