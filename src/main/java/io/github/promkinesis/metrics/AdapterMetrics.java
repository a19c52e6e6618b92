package io.github.promkinesis.metrics;

import io.github.promkinesis.kinesis.DeliveryEvents;
import io.github.promkinesis.protocol.RemoteWriteStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The adapter's own metrics, declared together, served with Camel's and the JVM's at /observe/metrics.
 * Names follow Prometheus conventions once exported: prometheus_remote_kinesis_..._total, base units.
 */
public final class AdapterMetrics implements DeliveryEvents {

    /** Its name in Camel's registry. */
    public static final String BEAN = "adapterMetrics";
    private static final String PREFIX = "prometheus.remote.kinesis.";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer.Builder requestDuration = Timer.builder(PREFIX + "request.duration")
            .description("Time from receiving a remote-write request to answering it")
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofSeconds(30));
    private final Counter samplesReceived;
    private final Counter samplesDelivered;
    private final Counter putRecordsCalls;
    private final Counter recordsSent;
    private final Counter bytesSent;
    private final Counter callFailures;
    private final Counter recordsRetried;
    private final DistributionSummary batchEntries;

    private final String sink;

    /** {@code sink} ("kinesis", "firehose") tags the delivery metrics; the batch calls are PutRecords or PutRecordBatch. */
    public AdapterMetrics(MeterRegistry registry, String sink) {
        this.registry = registry;
        this.sink = sink;
        registry.gauge(PREFIX + "requests.in.flight", inFlight);
        samplesReceived = Counter.builder(PREFIX + "samples.received")
                .description("Lines of decoded requests: float and histogram samples, exemplars and metadata").register(registry);
        samplesDelivered = Counter.builder(PREFIX + "samples.delivered")
                .description("Lines of requests answered 2xx, all accepted by the sink").register(registry);
        putRecordsCalls = Counter.builder(PREFIX + "putrecords.calls").tags("sink", sink)
                .description("Batch calls made (PutRecords, PutRecordBatch), retries included").register(registry);
        recordsSent = Counter.builder(PREFIX + "records.sent").tags("sink", sink)
                .description("Records accepted by the sink").register(registry);
        bytesSent = Counter.builder(PREFIX + "sent").baseUnit("bytes").tags("sink", sink)
                .description("Data bytes of the records accepted by the sink").register(registry);
        callFailures = Counter.builder(PREFIX + "putrecords.failures").tags("sink", sink)
                .description("Batch calls that failed as a whole and were retried").register(registry);
        recordsRetried = Counter.builder(PREFIX + "records.retried").tags("sink", sink)
                .description("Records sent again after a rejection or a failed call (a resend after a lost answer"
                        + " may duplicate)").register(registry);
        batchEntries = DistributionSummary.builder(PREFIX + "putrecords.entries").tags("sink", sink)
                .description("Entries per batch call").serviceLevelObjectives(1, 10, 50, 100, 250, 500)
                .register(registry);
    }

    /** A client closed its connection before its request was read: nothing was answered. */
    public void requestAbandoned() {
        Counter.builder(PREFIX + "requests.abandoned")
                .description("Requests whose client closed the connection before they were read")
                .register(registry).increment();
    }

    /** The HTTP server's open connections, as ConnectionLimits counts them. */
    public void connectionsOpen(AtomicInteger open) {
        registry.gauge(PREFIX + "connections.open", open);
    }

    /** The adapter closed a connection: over_limit, header_timeout, body_timeout or bad_framing. */
    public void connectionClosed(String reason) {
        Counter.builder(PREFIX + "connections.closed")
                .description("Connections the adapter closed: over HTTP_MAX_CONNECTIONS, or past a time limit")
                .tags("reason", reason).register(registry).increment();
    }

    /** A change of the routes directory taken (applied) or refused, the running routes kept. */
    public void routesReloaded(boolean applied) {
        Counter.builder(PREFIX + "routes.reloads").description("Reloads of the YAML routes, by result")
                .tags("result", applied ? "applied" : "refused").register(registry).increment();
    }

    /** A request entered the route. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** A request was answered with {@code status}, holding {@code samples} lines (0 if not decoded). */
    public void requestAnswered(int status, long nanos, int samples) {
        inFlight.decrementAndGet();
        String code = Integer.toString(status);
        String outcome = status / 100 == 2 ? "delivered" : RemoteWriteStatus.resend(status) ? "retry" : "refused";
        Counter.builder(PREFIX + "requests").description("Remote-write requests answered, by outcome and status code")
                .tags("outcome", outcome, "code", code).register(registry).increment();
        requestDuration.tags("outcome", outcome).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        samplesReceived.increment(samples);
        if (status / 100 == 2) {
            samplesDelivered.increment(samples);
        } else {
            Counter.builder(PREFIX + "samples.not.delivered")
                    .description("Lines of requests not answered 2xx, by status code")
                    .tags("code", code).register(registry).increment(samples);
        }
    }

    @Override
    public void attempted(int entries) {
        putRecordsCalls.increment();
        batchEntries.record(entries);
    }

    @Override
    public void accepted(int records, long bytes) {
        recordsSent.increment(records);
        bytesSent.increment(bytes);
    }

    @Override
    public void entriesRejected(Map<String, Integer> countsByErrorCode) {
        countsByErrorCode.forEach((errorCode, count) -> Counter.builder(PREFIX + "entries.failed")
                .description("Batch entries rejected by the sink, by error code")
                .tags("sink", sink, "error_code", errorCode).register(registry).increment(count));
    }

    @Override
    public void callFailed(Exception failure) {
        callFailures.increment();
    }

    @Override
    public void retried(int records) {
        recordsRetried.increment(records);
    }
}
