package io.github.promkinesis;

import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.PemTls;
import io.github.promkinesis.config.Settings;
import io.github.promkinesis.http.vertx.ConnectionLimits;
import io.github.promkinesis.http.vertx.UnroutedRequests;
import io.github.promkinesis.kinesis.AwsClients;
import io.github.promkinesis.kinesis.DeliveryEvents;
import io.github.promkinesis.kinesis.DeliveryLog;
import io.github.promkinesis.kinesis.RetryPolicy;
import io.github.promkinesis.kinesis.StreamReadinessCheck;
import io.github.promkinesis.kinesis.StreamStartReport;
import io.github.promkinesis.kinesis.firehose.FirehoseReadiness;
import io.github.promkinesis.kinesis.firehose.RetryingFirehoseClient;
import io.github.promkinesis.kinesis.streams.RetryingKinesisClient;
import io.github.promkinesis.kinesis.streams.StreamReadiness;
import io.github.promkinesis.metrics.AdapterMetrics;
import io.github.promkinesis.reload.RoutesReload;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What YAML cannot say, built from the checked {@link Settings}: the Kinesis and Firehose clients with their
 * retries, the metrics, the sink's readiness check, the answers to requests no route takes, and TLS.
 */
public class AdapterConfiguration implements CamelConfiguration {

    private static final Duration RETRY_BASE_BACKOFF = Duration.ofMillis(50);
    private static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration READINESS_CACHE = Duration.ofSeconds(10);

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = CamelContextHelper.mandatoryLookup(context, Settings.BEAN, Settings.class);
        LoggerFactory.getLogger(AdapterConfiguration.class).info("{} calls signed with {}",
                settings.sink.equals("firehose") ? "Firehose" : "Kinesis", settings.assumedRole.describe());
        AwsClients aws = new AwsClients(settings.awsRegion, Duration.ofMillis(settings.attemptTimeoutMs),
                settings.assumedRole);
        RetryPolicy retries = new RetryPolicy(Duration.ofMillis(settings.deliveryDeadlineMs), RETRY_BASE_BACKOFF,
                RETRY_MAX_BACKOFF);
        AdapterMetrics metrics = new AdapterMetrics(meterRegistry(context), settings.sink);
        context.getRegistry().bind(AdapterMetrics.BEAN, metrics);
        StreamReadinessCheck sink;
        String sinkName;
        String kinesisEndpoint = ""; // only Kinesis speaks CBOR, which local emulators get wrong
        // The route names both sinks' endpoints (SINK chooses at run time), so both clients are bound; only the
        // chosen one is ever called: an SDK client opens no connection before its first call.
        KinesisClient kinesis = aws.kinesis(settings.kinesisEndpoint);
        FirehoseClient firehose = aws.firehose(settings.firehoseEndpoint);
        if (settings.sink.equals("firehose")) {
            sink = FirehoseReadiness.check(firehose, settings.firehoseStreamName, READINESS_CACHE);
            sinkName = "Firehose stream " + settings.firehoseStreamName;
        } else {
            sink = StreamReadiness.check(kinesis, settings.streamName, READINESS_CACHE);
            sinkName = "Kinesis stream " + settings.streamName;
            kinesisEndpoint = settings.kinesisEndpoint;
        }
        context.getRegistry().bind("kinesisClient", KinesisClient.class, new RetryingKinesisClient(kinesis, retries,
                DeliveryEvents.both(new DeliveryLog("Kinesis", "PutRecords"), metrics)));
        context.getRegistry().bind("firehoseClient", FirehoseClient.class, new RetryingFirehoseClient(firehose,
                retries, DeliveryEvents.both(new DeliveryLog("Firehose", "PutRecordBatch"), metrics)));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(sink);
        }
        context.addStartupListener(new StreamStartReport(sink, sinkName, kinesisEndpoint));
        BooleanSupplier swapping = () -> false;
        if (settings.routesReload) {
            RoutesReload reload = new RoutesReload(context, Path.of(settings.routesLocation.substring("file:".length())),
                    settings.asProperties(), metrics);
            context.addStartupListener(reload);
            swapping = reload::swapping;
        }
        Vertx vertx = Vertx.vertx();
        ConnectionLimits connections = new ConnectionLimits(vertx, settings.idleTimeoutSeconds,
                settings.headerTimeoutSeconds, settings.bodyTimeoutSeconds, settings.maxConnections, metrics);
        // the HTTP server is created from the Vert.x instance in the registry (see ConnectionLimits)
        context.getRegistry().bind("vertx", Vertx.class, connections.guardedVertx());
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                vertx.close(); // Camel closes only a Vert.x instance it made itself
            }
        });
        context.addStartupListener(new UnroutedRequests(context, settings.httpPort, settings.maxBodyBytes, metrics,
                settings.retryAfterSeconds, swapping, connections::requestStarted));
        configureTls(context, settings.tlsCertFile, settings.tlsKeyFile);
    }

    /** The registry /observe/metrics serves: Camel's if it made one already, else one it will adopt. */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry existing = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    /** The listener serves HTTPS when the PEM files are given (the server uses Camel's global SSL settings). */
    static void configureTls(CamelContext context, String certificateFile, String keyFile) {
        if (certificateFile.isEmpty()) {
            return;
        }
        try {
            context.setSSLContextParameters(PemTls.serverParameters(Path.of(certificateFile), Path.of(keyFile)));
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSettingException("cannot read TLS_CERT_FILE/TLS_KEY_FILE: " + e.getMessage());
        }
    }
}
