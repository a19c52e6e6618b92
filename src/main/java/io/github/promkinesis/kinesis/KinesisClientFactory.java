package io.github.promkinesis.kinesis;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Builds the synchronous SDK client for Kinesis.
 * Credentials always come from the SDK's default chain (environment, profile, web identity, instance role);
 * a blank endpoint means AWS's own for the region.
 */
public final class KinesisClientFactory {

    private final String region;
    private final String endpoint;
    private final Duration attemptTimeout;

    public KinesisClientFactory(String region, String endpoint, Duration attemptTimeout) {
        this.region = region;
        this.endpoint = endpoint;
        this.attemptTimeout = attemptTimeout;
    }

    public KinesisClient create() {
        KinesisClientBuilder builder = KinesisClient.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                // one attempt is bounded; retries are RetryingKinesisClient's, which resends only rejected entries
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        builder.region(Region.of(region));
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
