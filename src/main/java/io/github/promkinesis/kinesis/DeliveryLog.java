package io.github.promkinesis.kinesis;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivery events as log lines: every rejection and failed call is said, with counts, as it happens. */
public final class DeliveryLog implements DeliveryEvents {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);

    private final String service;
    private final String call;

    /** {@code service} and {@code call} name the sink and its batch call: "Kinesis", "PutRecords". */
    public DeliveryLog(String service, String call) {
        this.service = service;
        this.call = call;
    }

    @Override
    public void attempted(int entries) {
        // routine: the metrics count calls
    }

    @Override
    public void accepted(int records, long bytes) {
        // routine: the metrics count records and bytes
    }

    @Override
    public void entriesRejected(Map<String, Integer> countsByErrorCode) {
        LOG.warn("{} rejected entries {}: resending only those", service, countsByErrorCode);
    }

    @Override
    public void callFailed(Exception failure) {
        LOG.warn("{} failed ({}): retrying the call", call, failure.getMessage());
    }

    @Override
    public void retried(int records) {
        LOG.debug("resending {} records", records);
    }
}
