package io.github.promkinesis.kinesis;

import java.net.URI;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** One line saying why a stream cannot take records, from what the SDK threw: for logs, health and tools. */
public final class StreamProblems {

    private StreamProblems() {
    }

    public static String describe(String stream, SdkException failure) {
        return describe("stream " + stream, "STREAM_NAME", "Kinesis", failure);
    }

    /**
     * The same for any sink: {@code what} names it ("stream s", "Firehose stream f"), {@code setting} is the
     * variable that named it, {@code service} the AWS service ("Kinesis", "Firehose").
     */
    public static String describe(String what, String setting, String service, SdkException failure) {
        String code = failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode() : null;
        if (failure instanceof ResourceNotFoundException || "ResourceNotFoundException".equals(code)) {
            return what + " not found (wrong " + setting + ", AWS_REGION or account?)";
        }
        if (failure instanceof AwsServiceException aws) {
            String message = oneLine(aws.awsErrorDetails() == null ? aws.getMessage()
                    : aws.awsErrorDetails().errorMessage());
            if ("AccessDeniedException".equals(code) || aws.statusCode() == 403) {
                return "access to " + what + " denied: " + message;
            }
            if (code != null && (code.startsWith("UnrecognizedClient") || code.startsWith("InvalidSignature")
                    || code.startsWith("ExpiredToken") || code.startsWith("IncompleteSignature"))) {
                return "AWS refused the credentials (" + code + "): " + message;
            }
            return what + " cannot be used: " + code + " " + message;
        }
        String message = oneLine(failure.getMessage());
        if (message.contains("Unable to load credentials")) {
            return "no AWS credentials found (environment, profile, web identity or instance role)";
        }
        if (message.contains("Unable to unmarshall") || message.contains("Unable to parse")
                || message.contains("Unexpected character") || message.contains("CBOR")) {
            return "the endpoint did not answer as " + service + " does (protocol mismatch): " + message;
        }
        return what + " cannot be reached: " + message;
    }

    /**
     * Local Kinesis emulators (kinesalite) answer CBOR in ways SDK v2 misreads, failing PutRecords of 200+
     * records while reads work: a loopback endpoint with CBOR on deserves a warning before any request fails.
     */
    public static String cborWarning(String endpoint) {
        if (endpoint.isEmpty() || !SdkSystemSetting.CBOR_ENABLED.getBooleanValueOrThrow()) {
            return null;
        }
        String host = URI.create(endpoint).getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")) {
            return "KINESIS_ENDPOINT " + endpoint + " is a local emulator and CBOR is on: kinesalite's CBOR breaks"
                    + " PutRecords with this SDK; set CBOR_ENABLED=false";
        }
        return null;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
