package io.github.promkinesis.kinesis;

import java.util.Map;

/** What the delivery path reports as it goes, for logs and metrics. */
public interface DeliveryEvents {

    /** A PutRecords call is about to be made with this many entries. */
    void attempted(int entries);

    /** Kinesis accepted these records, of this many data bytes, in one call. */
    void accepted(int records, long bytes);

    /** Kinesis answered a PutRecords call but rejected some entries, counted by error code. */
    void entriesRejected(Map<String, Integer> countsByErrorCode);

    /** A whole PutRecords call failed in a way worth retrying. */
    void callFailed(Exception failure);

    /** {@code records} records are about to be sent again. */
    void retried(int records);

    /** Reports every event to both. */
    static DeliveryEvents both(DeliveryEvents first, DeliveryEvents second) {
        return new DeliveryEvents() {
            @Override
            public void attempted(int entries) {
                first.attempted(entries);
                second.attempted(entries);
            }

            @Override
            public void accepted(int records, long bytes) {
                first.accepted(records, bytes);
                second.accepted(records, bytes);
            }

            @Override
            public void entriesRejected(Map<String, Integer> countsByErrorCode) {
                first.entriesRejected(countsByErrorCode);
                second.entriesRejected(countsByErrorCode);
            }

            @Override
            public void callFailed(Exception failure) {
                first.callFailed(failure);
                second.callFailed(failure);
            }

            @Override
            public void retried(int records) {
                first.retried(records);
                second.retried(records);
            }
        };
    }
}
