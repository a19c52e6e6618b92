package io.github.promkinesis.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kinesis-speaking HTTP proxy in front of kinesalite that injects the faults kinesalite cannot make:
 * PutRecords entries rejected with ProvisionedThroughputExceededException or InternalFailure, whole calls failed
 * with 500, delays, and connections cut before or after the call reached kinesalite (the latter is how duplicates
 * arise). Other operations pass through untouched. Needs the SDK's JSON protocol (CBOR off).
 */
final class FaultProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNFORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final String[] ENTRY_ERRORS = {"ProvisionedThroughputExceededException", "InternalFailure"};

    volatile double rejectEntries;
    volatile double failCalls;
    volatile double cutBeforeCall;
    volatile double cutAfterCall;
    volatile long delayMillis;

    final AtomicLong putRecordsCalls = new AtomicLong();
    final AtomicLong entriesRejected = new AtomicLong();
    final AtomicLong callsFailed = new AtomicLong();
    final AtomicLong connectionsCut = new AtomicLong();
    /** Calls that named the stream by StreamARN, and by StreamName. */
    final AtomicLong callsByArn = new AtomicLong();
    final AtomicLong callsByName = new AtomicLong();
    /** Per PutRecords call: the access key ID it was signed with and its session token, "KEY token". */
    final List<String> putRecordsSignedBy = new CopyOnWriteArrayList<>();

    private final String target;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Random random;

    FaultProxy(String targetEndpoint, long seed) throws IOException {
        this.target = targetEndpoint;
        this.random = new Random(seed);
        server = StandInAnswers.serve(this::handle, Executors.newFixedThreadPool(16), 64);
    }

    String endpoint() {
        return StandInAnswers.endpoint(server);
    }

    void noFaults() {
        rejectEntries = 0;
        failCalls = 0;
        cutBeforeCall = 0;
        cutAfterCall = 0;
        delayMillis = 0;
    }

    String report() {
        return "PutRecords calls " + putRecordsCalls + ", entries rejected " + entriesRejected + ", calls failed "
                + callsFailed + ", connections cut " + connectionsCut;
    }

    private synchronized boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = streamArnAsName(exchange, exchange.getRequestBody().readAllBytes());
            if (body == null) {
                return;
            }
            String operation = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            if (!operation.endsWith(".PutRecords")) {
                forwardAndAnswer(exchange, body);
                return;
            }
            putRecordsCalls.incrementAndGet();
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            int key = authorization.indexOf("Credential=") + "Credential=".length();
            putRecordsSignedBy.add(authorization.substring(key, Math.max(key, authorization.indexOf('/', key))) + " "
                    + exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"));
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (chance(cutBeforeCall)) {
                connectionsCut.incrementAndGet();
                return; // closed without an answer: the call never reached Kinesis
            }
            if (chance(failCalls)) {
                callsFailed.incrementAndGet();
                answer(exchange, 500, "{\"__type\":\"InternalFailure\",\"message\":\"injected by FaultProxy\"}");
                return;
            }
            putRecordsWithRejections(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // kinesalite down or the client gone: answer like an unreachable service
            answerQuietly(exchange, 502, "{\"__type\":\"InternalFailure\",\"message\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /**
     * Kinesis takes a stream as StreamARN as well as StreamName; kinesalite knows only the name. An ARN of
     * kinesalite's region and account becomes the name; one of another region or account is refused as the
     * service refuses a stream it cannot find (400, ResourceNotFoundException), and so is a call with both.
     */
    private byte[] streamArnAsName(HttpExchange exchange, byte[] body) throws IOException {
        if (body.length == 0 || body[0] != '{') {
            return body;
        }
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        if (!request.has("StreamARN")) {
            if (request.has("StreamName")) {
                callsByName.incrementAndGet();
            }
            return body;
        }
        callsByArn.incrementAndGet();
        String arn = request.remove("StreamARN").asText();
        String prefix = "arn:aws:kinesis:" + Kinesalite.REGION + ":000000000000:stream/";
        if (request.has("StreamName") || !arn.startsWith(prefix)) {
            answer(exchange, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Stream " + arn
                    + " not found.\"}");
            return null;
        }
        request.put("StreamName", arn.substring(prefix.length()));
        return JSON.writeValueAsBytes(request);
    }

    private void putRecordsWithRejections(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ArrayNode records = (ArrayNode) request.get("Records");
        List<String> errors = new ArrayList<>();
        ArrayNode accepted = JSON.createArrayNode();
        for (JsonNode record : records) {
            String error = chance(rejectEntries) ? ENTRY_ERRORS[errors.size() % 2] : null;
            errors.add(error);
            if (error == null) {
                accepted.add(record);
            }
        }
        ArrayNode results = JSON.createArrayNode();
        if (!accepted.isEmpty()) {
            request.set("Records", accepted);
            HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(request));
            if (response.statusCode() != 200) {
                answer(exchange, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
                return;
            }
            results = (ArrayNode) JSON.readTree(response.body()).get("Records");
        }
        if (chance(cutAfterCall)) {
            connectionsCut.incrementAndGet();
            return; // kinesalite stored the records, the client never hears it: a resend duplicates them
        }
        ArrayNode merged = JSON.createArrayNode();
        int next = 0;
        int failed = 0;
        for (String error : errors) {
            if (error == null) {
                merged.add(results.get(next++));
            } else {
                failed++;
                merged.addObject().put("ErrorCode", error).put("ErrorMessage", "injected by FaultProxy");
            }
        }
        entriesRejected.addAndGet(failed);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("FailedRecordCount", failed);
        answer.set("Records", merged);
        answer(exchange, 200, JSON.writeValueAsString(answer));
    }

    private void forwardAndAnswer(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = forward(exchange, body);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(10))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!UNFORWARDED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        StandInAnswers.send(exchange, status, "application/x-amz-json-1.1", json);
    }

    private static void answerQuietly(HttpExchange exchange, int status, String json) {
        try {
            answer(exchange, status, json);
        } catch (IOException | RuntimeException alreadyAnswered) {
            // nothing more can be said on this connection
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
