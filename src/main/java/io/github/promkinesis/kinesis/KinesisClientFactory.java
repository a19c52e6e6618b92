package io.github.promkinesis.kinesis;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Builds the synchronous SDK client for Kinesis, with the credentials of {@link AssumedRole} (the SDK's default
 * chain unless a role is to be assumed); a blank endpoint means AWS's own for the region.
 */
public final class KinesisClientFactory {

    private final String region;
    private final String endpoint;
    private final Duration attemptTimeout;
    private final AssumedRole role;

    public KinesisClientFactory(String region, String endpoint, Duration attemptTimeout) {
        this(region, endpoint, attemptTimeout, AssumedRole.NONE);
    }

    public KinesisClientFactory(String region, String endpoint, Duration attemptTimeout, AssumedRole role) {
        this.region = region;
        this.endpoint = endpoint;
        this.attemptTimeout = attemptTimeout;
        this.role = role;
    }

    public KinesisClient create() {
        KinesisClientBuilder builder = KinesisClient.builder()
                .credentialsProvider(role.credentials(region))
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
