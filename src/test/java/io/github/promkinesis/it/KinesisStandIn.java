package io.github.promkinesis.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;

/**
 * For benchmarks only: a Kinesis endpoint (JSON or CBOR, as the client speaks) that accepts every PutRecords at once
 * (or after a set latency, as a remote service answers) and reports the stream ACTIVE, so a load run measures the adapter's own ceiling rather than kinesalite's. It counts what a
 * bill would: records, bytes (data plus partition key) and 25 KB PUT payload units. Delivery is never tested
 * against it; the integration tests use kinesalite.
 */
final class KinesisStandIn implements AutoCloseable {

    static {
        // without it the JDK server's separate header and body writes meet the client's delayed ACK: 40 ms a call
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Provisioned streams bill each record in 25 KB steps of data plus partition key. */
    static final int PUT_UNIT_BYTES = 25 * 1024;

    final LongAdder calls = new LongAdder();
    final LongAdder records = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder putUnits = new LongAdder();

    private final JsonFactory json = new JsonFactory();
    private final JsonFactory cbor = new CBORFactory();
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private final long latencyMillis;
    private final HttpServer server;

    KinesisStandIn() throws IOException {
        this(0);
    }

    /** Answers each PutRecords latencyMillis after reading it; calls wait side by side, as at a remote service. */
    KinesisStandIn(long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        threads = Executors.newFixedThreadPool(latencyMillis > 0 ? 128 : 4);
        server = StandInAnswers.serve(this::handle, threads, 256);
    }

    String endpoint() {
        return StandInAnswers.endpoint(server);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        JsonFactory format = contentType != null && contentType.contains("cbor") ? cbor : json;
        byte[] answer;
        try (InputStream body = exchange.getRequestBody()) {
            if (target != null && target.endsWith(".PutRecords")) {
                int count = countRecords(format.createParser(body));
                pause();
                answer = answers.computeIfAbsent(contentType + count, k -> putRecordsAnswer(format, count));
            } else if (target != null && target.endsWith(".DescribeStreamSummary")) {
                body.readAllBytes();
                answer = answers.computeIfAbsent(contentType + "describe", k -> streamSummary(format));
            } else {
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private void pause() throws IOException {
        if (latencyMillis == 0) {
            return;
        }
        try {
            Thread.sleep(latencyMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Counts the entries of a PutRecords body and what they weigh, without keeping them. */
    private int countRecords(JsonParser parser) throws IOException {
        int count = 0;
        long dataBytes = 0;
        try (parser) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                String field = parser.currentName();
                if ("Data".equals(field)) {
                    dataBytes = parser.nextToken() == JsonToken.VALUE_STRING
                            ? base64Length(parser.getTextLength(), parser.getTextCharacters(), parser.getTextOffset())
                            : parser.getBinaryValue().length;
                } else if ("PartitionKey".equals(field)) {
                    parser.nextToken();
                    long entry = dataBytes + parser.getText().getBytes(StandardCharsets.UTF_8).length;
                    count++;
                    bytes.add(entry);
                    putUnits.add((entry + PUT_UNIT_BYTES - 1) / PUT_UNIT_BYTES);
                }
            }
        }
        calls.increment();
        records.add(count);
        return count;
    }

    private static long base64Length(int length, char[] text, int offset) {
        int padding = 0;
        for (int i = length - 1; i >= 0 && i >= length - 2 && text[offset + i] == '='; i--) {
            padding++;
        }
        return length / 4L * 3 - padding;
    }

    private static byte[] putRecordsAnswer(JsonFactory format, int count) {
        return write(format, out -> {
            out.writeStartObject();
            out.writeNumberField("FailedRecordCount", 0);
            out.writeArrayFieldStart("Records");
            for (int i = 0; i < count; i++) {
                out.writeStartObject();
                out.writeStringField("SequenceNumber", String.valueOf(i + 1));
                out.writeStringField("ShardId", "shardId-000000000000");
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private static byte[] streamSummary(JsonFactory format) {
        return write(format, out -> {
            out.writeStartObject();
            out.writeObjectFieldStart("StreamDescriptionSummary");
            out.writeStringField("StreamName", "bench");
            out.writeStringField("StreamARN", "arn:aws:kinesis:us-east-1:000000000000:stream/bench");
            out.writeStringField("StreamStatus", "ACTIVE");
            out.writeNumberField("RetentionPeriodHours", 24);
            out.writeNumberField("OpenShardCount", 1);
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    private interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] write(JsonFactory format, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = format.createGenerator(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
