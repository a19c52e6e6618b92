package io.github.promkinesis.kinesis;

import java.util.List;

/** The records of one call to the sink, whatever its shape for the producer, and what their lines hold. */
public interface RecordBatch {

    List<KinesisRecord> records();

    /** The float samples the batch carries. */
    default int samples() {
        return records().stream().mapToInt(KinesisRecord::samples).sum();
    }

    default int histograms() {
        return records().stream().mapToInt(KinesisRecord::histograms).sum();
    }

    default int exemplars() {
        return records().stream().mapToInt(KinesisRecord::exemplars).sum();
    }
}
