package io.github.promkinesis.kinesis;

import java.util.Map;

/** What the delivery path reports as it goes, for logs and metrics. */
public interface DeliveryEvents {

    /** Kinesis answered a PutRecords call but rejected some entries, counted by error code. */
    void entriesRejected(Map<String, Integer> countsByErrorCode);

    /** A whole PutRecords call failed in a way worth retrying. */
    void callFailed(Exception failure);

    /** {@code records} records are about to be sent again. */
    void retried(int records);
}
