package io.github.promkinesis.kinesis;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The credentials Kinesis calls are signed with: the SDK's default chain (environment, profile, IRSA web
 * identity, instance role), or, with AWS_ASSUME_ROLE_ARN, a role assumed with STS on top of that chain, for a
 * stream in another account. The role's credentials are renewed in the background before they expire, so no
 * call waits for STS while they are fresh.
 */
public record AssumedRole(String roleArn, String externalId, String sessionName, String stsEndpoint) {

    /** No role: the default chain's own credentials. */
    public static final AssumedRole NONE = new AssumedRole("", "", "", "");

    public AwsCredentialsProvider credentials(String region) {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        if (roleArn.isEmpty()) {
            return chain;
        }
        StsClientBuilder sts = StsClient.builder().region(Region.of(region)).credentialsProvider(chain);
        if (!stsEndpoint.isEmpty()) {
            sts.endpointOverride(URI.create(stsEndpoint));
        }
        return StsAssumeRoleCredentialsProvider.builder().stsClient(sts.build()).asyncCredentialUpdateEnabled(true)
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName(sessionName);
                    if (!externalId.isEmpty()) {
                        r.externalId(externalId);
                    }
                })
                .build();
    }

    /** For the start-up log: the role and session, never a secret (the external ID is one). */
    public String describe() {
        return roleArn.isEmpty() ? "the AWS SDK's default chain"
                : "role " + roleArn + " (session " + sessionName + ", assumed with STS, renewed before expiry)";
    }
}
