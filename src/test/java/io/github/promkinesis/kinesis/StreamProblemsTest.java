package io.github.promkinesis.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** What the SDK throws, as the one line the start-up report, health and StreamTool say. */
class StreamProblemsTest {

    @Test
    void eachProblemIsNamedInOneLine() {
        assertEquals("stream s not found (wrong STREAM_NAME, AWS_REGION or account?)",
                StreamProblems.describe("s", ResourceNotFoundException.builder().message("Stream s not found").build()));
        assertTrue(StreamProblems.describe("s", service("AccessDeniedException", 400,
                "User: arn:aws:iam::1:user/x is not authorized\nto perform kinesis:DescribeStreamSummary"))
                .startsWith("access to stream s denied: User: arn:aws:iam::1:user/x is not authorized to perform"));
        assertTrue(StreamProblems.describe("s", service("UnrecognizedClientException", 400, "bad token"))
                .startsWith("AWS refused the credentials (UnrecognizedClientException)"));
        assertEquals("no AWS credentials found (environment, profile, web identity or instance role)",
                StreamProblems.describe("s", SdkClientException.create("Unable to load credentials from any of the"
                        + " providers in the chain AwsCredentialsProviderChain(...)")));
        assertTrue(StreamProblems.describe("s", SdkClientException.create("Unable to unmarshall response (Unexpected"
                + " character ('<'))")).startsWith("the endpoint did not answer as Kinesis does (protocol mismatch)"));
        assertTrue(StreamProblems.describe("s", SdkClientException.create("Connection refused"))
                .startsWith("stream s cannot be reached: Connection refused"));
    }

    @Test
    void onlyALocalEndpointWithCborOnIsWarnedAbout() {
        // the tests run with aws.cborEnabled=false, as kinesalite needs: no warning then
        String previous = System.getProperty("aws.cborEnabled");
        try {
            System.setProperty("aws.cborEnabled", "true");
            assertTrue(StreamProblems.cborWarning("http://127.0.0.1:4567").contains("CBOR_ENABLED=false"));
            assertTrue(StreamProblems.cborWarning("http://localhost:4567").contains("CBOR_ENABLED=false"));
            assertEquals(null, StreamProblems.cborWarning("https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com"));
            assertEquals(null, StreamProblems.cborWarning(""));
            System.setProperty("aws.cborEnabled", "false");
            assertEquals(null, StreamProblems.cborWarning("http://127.0.0.1:4567"));
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    private static AwsServiceException service(String code, int status, String message) {
        return KinesisException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }
}
