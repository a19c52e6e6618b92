package io.github.promkinesis.kinesis;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Builds the synchronous SDK clients of the sinks, Kinesis and Firehose, alike: the region, the credentials of
 * {@link AssumedRole} (the SDK's default chain unless a role is to be assumed), one bounded attempt per call.
 * A blank endpoint means AWS's own for the region.
 */
public final class AwsClients {

    private final String region;
    private final Duration attemptTimeout;
    private final AssumedRole role;

    public AwsClients(String region, Duration attemptTimeout) {
        this(region, attemptTimeout, AssumedRole.NONE);
    }

    public AwsClients(String region, Duration attemptTimeout, AssumedRole role) {
        this.region = region;
        this.attemptTimeout = attemptTimeout;
        this.role = role;
    }

    public KinesisClient kinesis(String endpoint) {
        return configure(KinesisClient.builder(), endpoint).build();
    }

    public FirehoseClient firehose(String endpoint) {
        return configure(FirehoseClient.builder(), endpoint).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String endpoint) {
        builder.credentialsProvider(role.credentials(region))
                // one attempt is bounded; retries are EntryRetries', which resend only rejected entries
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        builder.region(Region.of(region));
        if (!endpoint.isEmpty()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }
}
