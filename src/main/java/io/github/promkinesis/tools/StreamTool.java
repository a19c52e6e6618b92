package io.github.promkinesis.tools;

import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.Setting;
import io.github.promkinesis.config.SettingValues;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.kinesis.AwsClients;
import io.github.promkinesis.kinesis.StreamProblems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Command line helper for users: print a stream's records as JSON lines, or create a stream for a local run.
 * Reads the adapter's settings the same way the adapter does (AWS_REGION, KINESIS_ENDPOINT, -D flags,
 * application.properties) and the SDK's credential chain. Failures are one line on stderr, exit 1; bad usage
 * or settings exit 2.
 *
 * <pre>
 * java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.StreamTool tail STREAM
 * java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.StreamTool dump STREAM
 * java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.StreamTool create STREAM [SHARDS]
 * </pre>
 */
public final class StreamTool {

    private static final String USAGE = "usage: StreamTool tail|dump|create STREAM [SHARDS]";

    private StreamTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].matches("tail|dump|create") || (args.length > 2 && !args[2].matches("[1-9]\\d{0,3}"))) {
            fail(2, USAGE);
        }
        String region = null;
        String endpoint = null;
        try {
            SettingValues settings = SettingValues.read(SettingsSource.standard(), Setting.Reader.STREAM_TOOL);
            region = settings.region();
            endpoint = settings.text(Setting.KINESIS_ENDPOINT);
        } catch (InvalidSettingException e) {
            fail(2, e.getMessage());
        }
        String cbor = StreamProblems.cborWarning(endpoint);
        if (cbor != null) {
            System.err.println("warning: " + cbor);
        }
        KinesisClient kinesis = new AwsClients(region, Duration.ofSeconds(20)).kinesis(endpoint);
        StreamReader reader = new StreamReader(kinesis, args[1]);
        PrintStream out = new PrintStream(System.out, false);
        try {
            switch (args[0]) {
                case "tail" -> reader.follow(record -> print(record, out), Duration.ofMillis(500));
                case "dump" -> reader.readAll().forEach(record -> print(record, out));
                default -> reader.createIfMissing(args.length > 2 ? Integer.parseInt(args[2]) : 1,
                        Duration.ofSeconds(30));
            }
        } catch (SdkException e) {
            fail(1, StreamProblems.describe(args[1], e) + (cbor == null ? "" : " (" + cbor + ")"));
        } catch (IllegalStateException e) {
            fail(1, e.getMessage());
        }
        out.flush();
    }

    private static void fail(int exitCode, String message) {
        System.err.println("StreamTool: " + message);
        System.exit(exitCode);
    }

    /** A record already holds newline-terminated JSON lines: its bytes go out unchanged. */
    private static void print(Record record, OutputStream out) {
        try {
            record.data().asInputStream().transferTo(out);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to standard output", e);
        }
    }
}
