package io.github.promkinesis.kinesis;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start, in one log line, whether the sink (Kinesis or Firehose stream) can take records, and if not why (not found, no
 * credentials, access denied, protocol mismatch), so a misconfiguration shows in the log and not only in
 * /observe/health. The adapter keeps running: readiness stays down until it is fixed.
 */
public final class StreamStartReport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamStartReport.class);

    private final StreamReadinessCheck stream;
    private final String sink;
    private final String endpoint;

    /** {@code sink} names it ("Kinesis stream s"); {@code endpoint} is the Kinesis endpoint override, or empty. */
    public StreamStartReport(StreamReadinessCheck stream, String sink, String endpoint) {
        this.stream = stream;
        this.sink = sink;
        this.endpoint = endpoint;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // reported once fully started, below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Thread report = new Thread(this::report, "stream-start-report");
        report.setDaemon(true);
        report.start();
    }

    private void report() {
        String cbor = StreamProblems.cborWarning(endpoint);
        if (cbor != null) {
            LOG.warn(cbor);
        }
        String problem = stream.checkNow();
        if (problem == null) {
            LOG.info("{} takes records", sink);
        } else {
            LOG.error("{} cannot take records: {}; not ready until this is fixed", sink, problem);
        }
    }
}
