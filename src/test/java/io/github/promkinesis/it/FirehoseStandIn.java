package io.github.promkinesis.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Amazon Data Firehose as far as a Direct PUT producer sees it, for tests: no Firehose emulator installs here (no
 * LocalStack, no moto). It speaks the real JSON 1.1 API the SDK speaks ({@code X-Amz-Target:
 * Firehose_20150804.PutRecordBatch} and {@code .DescribeDeliveryStream}, {@code application/x-amz-json-1.1},
 * base64 record data) and refuses what Firehose refuses: an unsigned call (403), an unknown stream
 * (ResourceNotFoundException), more than 500 records, an empty batch, a record over 1,000 KiB, a call over 4 MiB
 * of data (400). It can reject a share of the entries (per-entry ErrorCode ServiceUnavailableException, as
 * Firehose does when a stream is over its throughput), fail a share of whole calls, fail every call (an outage),
 * and answer slowly. What it accepted it buffers and writes as Firehose writes S3 objects: records concatenated
 * as they came, under {@code YYYY/MM/DD/HH/<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>} (UTC), once the buffer holds
 * {@code bufferBytes} and on {@link #flush()}. It also counts what Firehose bills: records and 5 KB steps.
 */
final class FirehoseStandIn implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // as KinesisStandIn: no 40 ms delayed-ACK stall
    }

    static final int MAX_RECORDS = 500;
    static final int MAX_RECORD_BYTES = 1000 * 1024;
    static final int MAX_CALL_BYTES = 4 * 1024 * 1024;
    /** Firehose bills ingestion per record, each rounded up to the next 5 KB. */
    static final int BILLING_STEP_BYTES = 5 * 1024;

    private static final DateTimeFormatter HOUR_PREFIX = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/");
    private static final DateTimeFormatter OBJECT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    final LongAdder calls = new LongAdder();
    final LongAdder callsRefused = new LongAdder();
    final LongAdder callsFailed = new LongAdder();
    final LongAdder entriesRejected = new LongAdder();
    final LongAdder recordsAccepted = new LongAdder();
    final LongAdder bytesAccepted = new LongAdder();
    final LongAdder billedSteps = new LongAdder();
    final AtomicInteger largestCall = new AtomicInteger();

    /** Share of entries rejected, of whole calls failed with 500 ServiceUnavailableException. */
    volatile double rejectEntries;
    volatile double failCalls;
    /** Every call fails with 503 ServiceUnavailableException while true. */
    volatile boolean outage;
    volatile int delayMillis;
    /** What DescribeDeliveryStream says. */
    volatile String status = "ACTIVE";

    private final String stream;
    private final Path bucket;
    private final int bufferBytes;
    private final JsonFactory json = new JsonFactory();
    private final Random random;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpServer server;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    FirehoseStandIn(String stream, Path bucket, int bufferBytes, long seed) throws IOException {
        this.stream = stream;
        this.bucket = bucket;
        this.bufferBytes = bufferBytes;
        this.random = new Random(seed);
        server = StandInAnswers.serve(this::handle, threads, 256);
    }

    String endpoint() {
        return StandInAnswers.endpoint(server);
    }

    void noFaults() {
        rejectEntries = 0;
        failCalls = 0;
        outage = false;
        delayMillis = 0;
    }

    String report() {
        return "calls " + calls + " (refused " + callsRefused + ", failed " + callsFailed + "), entries rejected "
                + entriesRejected + ", records accepted " + recordsAccepted + ", bytes " + bytesAccepted
                + ", billed 5 KB steps " + billedSteps + ", largest call " + largestCall + " bytes";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] request = body.readAllBytes();
            if (!authorization.startsWith("AWS4-HMAC-SHA256 ") || !authorization.contains("/firehose/aws4_request")) {
                error(exchange, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
            } else if (target.equals("Firehose_20150804.PutRecordBatch")) {
                putRecordBatch(exchange, request);
            } else if (target.equals("Firehose_20150804.DescribeDeliveryStream")) {
                describe(exchange, request);
            } else {
                error(exchange, 400, "UnknownOperationException", "no operation " + target);
            }
        }
    }

    private void putRecordBatch(HttpExchange exchange, byte[] request) throws IOException {
        calls.increment();
        sleep(delayMillis);
        String name = null;
        List<byte[]> records = new ArrayList<>();
        try (JsonParser parser = json.createParser(request)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    continue;
                }
                if ("DeliveryStreamName".equals(parser.currentName())) {
                    parser.nextToken();
                    name = parser.getText();
                } else if ("Data".equals(parser.currentName())) {
                    parser.nextToken();
                    records.add(parser.getBinaryValue());
                }
            }
        }
        long callBytes = records.stream().mapToLong(r -> r.length).sum();
        largestCall.accumulateAndGet((int) Math.min(callBytes, Integer.MAX_VALUE), Math::max);
        if (!stream.equals(name)) {
            callsRefused.increment();
            error(exchange, 400, "ResourceNotFoundException", "Firehose " + name + " under account 123456789012 not found.");
            return;
        }
        String invalid = records.isEmpty() || records.size() > MAX_RECORDS
                ? "Value at 'records' failed to satisfy constraint: Member must have length between 1 and 500"
                : records.stream().anyMatch(r -> r.length > MAX_RECORD_BYTES || r.length == 0)
                ? "Value at 'records.member.data' failed to satisfy constraint: Member must have length between 0"
                        + " and 1024000"
                : callBytes > MAX_CALL_BYTES ? "Records size exceeds 4 MB limit" : null;
        if (invalid != null) {
            callsRefused.increment();
            error(exchange, 400, "InvalidArgumentException", "1 validation error detected: " + invalid);
            return;
        }
        if (outage || chance(failCalls)) {
            callsFailed.increment();
            error(exchange, outage ? 503 : 500, "ServiceUnavailableException", "Slow down.");
            return;
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int failed = 0;
        try (JsonGenerator out = json.createGenerator(answer)) {
            out.writeStartObject();
            out.writeBooleanField("Encrypted", false);
            out.writeArrayFieldStart("RequestResponses");
            for (byte[] record : records) {
                out.writeStartObject();
                if (chance(rejectEntries)) {
                    failed++;
                    out.writeStringField("ErrorCode", "ServiceUnavailableException");
                    out.writeStringField("ErrorMessage", "Slow down.");
                } else {
                    accept(record);
                    out.writeStringField("RecordId", UUID.randomUUID().toString());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeNumberField("FailedPutCount", failed);
            out.writeEndObject();
        }
        entriesRejected.add(failed);
        StandInAnswers.send(exchange, 200, "application/x-amz-json-1.1", answer.toString());
    }

    private void describe(HttpExchange exchange, byte[] request) throws IOException {
        String name = null;
        try (JsonParser parser = json.createParser(request)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && "DeliveryStreamName".equals(parser.currentName())) {
                    parser.nextToken();
                    name = parser.getText();
                }
            }
        }
        if (!stream.equals(name)) {
            error(exchange, 400, "ResourceNotFoundException", "Firehose " + name + " under account 123456789012 not found.");
            return;
        }
        StandInAnswers.send(exchange, 200, "application/x-amz-json-1.1", "{\"DeliveryStreamDescription\":{"
                + "\"DeliveryStreamName\":\"" + stream + "\",\"DeliveryStreamARN\":\"arn:aws:firehose:eu-west-1:"
                + "123456789012:deliverystream/" + stream + "\",\"DeliveryStreamStatus\":\"" + status + "\","
                + "\"DeliveryStreamType\":\"DirectPut\",\"VersionId\":\"1\",\"Destinations\":[],"
                + "\"HasMoreDestinations\":false}}");
    }

    private synchronized void accept(byte[] record) {
        recordsAccepted.increment();
        bytesAccepted.add(record.length);
        billedSteps.add((record.length + BILLING_STEP_BYTES - 1) / BILLING_STEP_BYTES);
        if (bucket != null) {
            buffer.writeBytes(record);
            if (buffer.size() >= bufferBytes) {
                flush();
            }
        }
    }

    /** Writes what is buffered as one object, as Firehose does when its buffer interval ends. */
    synchronized void flush() {
        if (buffer.size() == 0) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Path object = bucket.resolve(HOUR_PREFIX.format(now) + stream + "-1-" + OBJECT_TIME.format(now) + "-"
                + UUID.randomUUID());
        try {
            Files.createDirectories(object.getParent());
            Files.write(object, buffer.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.reset();
    }

    /** Every object written so far, in name order. */
    List<Path> objects() throws IOException {
        flush();
        try (var files = Files.walk(bucket)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private synchronized boolean chance(double share) {
        return share > 0 && random.nextDouble() < share;
    }

    private static void sleep(int millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        StandInAnswers.send(exchange, status, "application/x-amz-json-1.1",
                "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        if (bucket != null) {
            flush();
        }
    }
}
