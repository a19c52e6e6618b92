package io.github.promkinesis.tools;

import io.github.promkinesis.kinesis.KinesisClientFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Command line helper for users: print a stream's records as JSON lines, or create a stream for a local run.
 * Uses the same settings as the adapter: AWS_REGION, KINESIS_ENDPOINT and the SDK's credential chain.
 *
 * <pre>
 * java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.StreamTool tail STREAM
 * java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.StreamTool dump STREAM
 * java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.StreamTool create STREAM [SHARDS]
 * </pre>
 */
public final class StreamTool {

    private StreamTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: StreamTool tail|dump|create STREAM [SHARDS]");
            System.exit(2);
        }
        KinesisClient kinesis = new KinesisClientFactory(System.getenv("AWS_REGION"),
                System.getenv("KINESIS_ENDPOINT"), 20_000).create();
        StreamReader reader = new StreamReader(kinesis, args[1]);
        PrintStream out = new PrintStream(System.out, false);
        switch (args[0]) {
            case "tail" -> reader.follow(record -> print(record, out), Duration.ofMillis(500));
            case "dump" -> reader.readAll().forEach(record -> print(record, out));
            case "create" -> reader.createIfMissing(args.length > 2 ? Integer.parseInt(args[2]) : 1,
                    Duration.ofSeconds(30));
            default -> {
                System.err.println("unknown command " + args[0] + ": use tail, dump or create");
                System.exit(2);
            }
        }
        out.flush();
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
