package io.github.promkinesis.kinesis.streams;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kinesis data stream as STREAM_NAME gives it: its name, or its ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME),
 * as users writing into another account's stream name it. Calls then carry the SDK's StreamARN, which also
 * picks the account's endpoint.
 */
public final class StreamId {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([a-zA-Z0-9_.-]{1,128})");

    private StreamId() {
    }

    public static boolean isArn(String stream) {
        return stream.startsWith("arn:");
    }

    /** Whether it is a stream name or a well-formed stream ARN. */
    public static boolean valid(String stream) {
        return NAME.matcher(stream).matches() || ARN.matcher(stream).matches();
    }

    /** The region of a stream ARN. */
    public static String region(String arn) {
        Matcher matcher = ARN.matcher(arn);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a stream ARN: " + arn);
        }
        return matcher.group(1);
    }
}
