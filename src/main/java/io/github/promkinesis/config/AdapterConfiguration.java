package io.github.promkinesis.config;

import io.github.promkinesis.http.PemTls;
import io.github.promkinesis.http.UnroutedRequests;
import io.github.promkinesis.kinesis.DeliveryEvents;
import io.github.promkinesis.kinesis.DeliveryLog;
import io.github.promkinesis.kinesis.KinesisClientFactory;
import io.github.promkinesis.kinesis.RetryPolicy;
import io.github.promkinesis.kinesis.RetryingKinesisClient;
import io.github.promkinesis.kinesis.StreamReadinessCheck;
import io.github.promkinesis.metrics.AdapterMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * What YAML cannot say: the start-up check of settings, the Kinesis client with its retries, the metrics, the
 * stream's readiness check and TLS. Settings come from application.properties, overridden by environment
 * variables and -D flags.
 */
public class AdapterConfiguration implements CamelConfiguration {

    private static final Duration RETRY_BASE_BACKOFF = Duration.ofMillis(50);
    private static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration READINESS_CACHE = Duration.ofSeconds(10);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        String stream = require(properties, "stream.name", "the Kinesis data stream that receives the JSON lines");
        KinesisClient kinesis = new KinesisClientFactory(
                optional(properties, "aws.region"),
                optional(properties, "kinesis.endpoint"),
                number(properties, "kinesis.attempt-timeout-ms", "the time limit of one PutRecords attempt")).create();
        RetryPolicy retries = new RetryPolicy(
                Duration.ofMillis(number(properties, "delivery.deadline-ms", "the time a request may spend delivering")),
                RETRY_BASE_BACKOFF, RETRY_MAX_BACKOFF);
        AdapterMetrics metrics = new AdapterMetrics(meterRegistry(context));
        context.getRegistry().bind(AdapterMetrics.BEAN, metrics);
        context.getRegistry().bind("kinesisClient", KinesisClient.class,
                new RetryingKinesisClient(kinesis, retries, DeliveryEvents.both(new DeliveryLog(), metrics)));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new StreamReadinessCheck(kinesis, stream, READINESS_CACHE));
        }
        context.addStartupListener(new UnroutedRequests(context, (int) number(properties, "http.port", "the HTTP port"),
                metrics, (int) number(properties, "delivery.retry-after-seconds", "the Retry-After of a 503")));
        configureTls(context, optional(properties, "tls.cert-file"), optional(properties, "tls.key-file"));
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

    /** The listener serves HTTPS when both PEM files are given (the server uses Camel's global SSL settings). */
    private static void configureTls(CamelContext context, String certificateFile, String keyFile) {
        if (certificateFile.isEmpty() && keyFile.isEmpty()) {
            return;
        }
        if (certificateFile.isEmpty() || keyFile.isEmpty()) {
            throw new InvalidSettingException("TLS_CERT_FILE and TLS_KEY_FILE are needed together for HTTPS");
        }
        try {
            context.setSSLContextParameters(PemTls.serverParameters(Path.of(certificateFile), Path.of(keyFile)));
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSettingException("cannot read TLS_CERT_FILE/TLS_KEY_FILE: " + e.getMessage());
        }
    }

    /** The environment variable that overrides a key, as Camel maps it (upper case, '.' and '-' as '_'). */
    public static String environmentName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    private static String require(PropertiesComponent properties, String key, String meaning) {
        String value = optional(properties, key);
        if (value.isEmpty()) {
            String variable = environmentName(key);
            throw new InvalidSettingException(variable + " is required (" + meaning + "): set the environment variable "
                    + variable + ", -D" + key + "=..., or " + key + " in application.properties");
        }
        return value;
    }

    private static long number(PropertiesComponent properties, String key, String meaning) {
        String value = require(properties, key, meaning);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(environmentName(key) + " must be a whole number (" + meaning
                    + "), got \"" + value + "\"");
        }
    }

    private static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElse("").trim();
    }
}
