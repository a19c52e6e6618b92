package io.github.promkinesis.kinesis;

import io.github.promkinesis.config.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Builds the synchronous SDK client for Kinesis.
 * Credentials always come from the SDK's default chain (environment, profile, web identity, instance role);
 * a blank region or endpoint leaves the SDK's own resolution in place.
 */
public final class KinesisClientFactory {

    private final String region;
    private final String endpoint;
    private final Duration attemptTimeout;

    public KinesisClientFactory(String region, String endpoint, long attemptTimeoutMs) {
        this.region = region == null ? "" : region.trim();
        this.endpoint = endpoint == null ? "" : endpoint.trim();
        this.attemptTimeout = Duration.ofMillis(attemptTimeoutMs);
    }

    public KinesisClient create() {
        KinesisClientBuilder builder = KinesisClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                // one attempt is bounded; retries are RetryingKinesisClient's, which resends only rejected entries
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        builder.region(region.isEmpty() ? regionFromChain() : Region.of(region));
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static Region regionFromChain() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new InvalidSettingException("AWS_REGION is required: no region is set and the AWS SDK found none"
                    + " in its profile or instance metadata");
        }
    }
}
