package io.github.promkinesis.kinesis;

/** One record can never fit Kinesis' 1 MiB entry limit: the request is refused, not retried. */
public class RecordTooLargeException extends IllegalArgumentException {
    public RecordTooLargeException(int recordBytes, int limitBytes) {
        super("a sample's JSON line of " + recordBytes + " bytes exceeds the Kinesis record limit of "
                + limitBytes + " bytes (partition key included)");
    }
}
