package io.github.promkinesis.read;

import io.github.promkinesis.http.ThrottledLog;
import io.github.promkinesis.metrics.ReadMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.LoggerFactory;

/**
 * The {@code send-answer} step, the read path's sink: the answer written to the request's connection in pieces of
 * {@link #PIECE_BYTES} as the client takes them (a full write queue waits for room, until READ_TIMEOUT's deadline).
 * platform-http would send a streamed body 16 KiB at a time, a worker thread's round trip each: a third of a large
 * answer's time (docs/journal.md). Once the head is sent a failure can no longer change the status: the answer is
 * ended in a way its client refuses ({@link SeriesStream#cutOff()}), said in one log line and counted.
 */
public final class AnswerSink {

    static final int PIECE_BYTES = 1 << 18;
    private static final String RESPONSE = "readResponse";
    private static final ThrottledLog LOG = new ThrottledLog(LoggerFactory.getLogger(AnswerSink.class));

    private final ReadLimits limits;
    private final ReadMetrics metrics;

    public AnswerSink(ReadLimits limits, ReadMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    /** The {@code hold-response} step: the HTTP response, kept before the decode steps replace the HTTP message. */
    public void hold(Exchange exchange) {
        exchange.setProperty(RESPONSE, exchange.getMessage(HttpMessage.class).getResponse());
    }

    public void send(Exchange exchange) {
        Message message = exchange.getMessage();
        SeriesStream answer = message.getBody(SeriesStream.class);
        HttpServerResponse response = exchange.getProperty(RESPONSE, HttpServerResponse.class);
        long deadline = exchange.getProperty(ReadRequests.DEADLINE, Long.class);
        CompletableFuture<Void> gone = new CompletableFuture<>();
        response.closeHandler(closed -> gone.complete(null));
        response.setStatusCode(200).setChunked(true);
        for (String header : new String[] {Exchange.CONTENT_TYPE, "Content-Encoding"}) {
            String value = message.getHeader(header, String.class);
            if (value != null) {
                response.putHeader(header, value);
            }
        }
        long sent = 0;
        try (answer) {
            for (byte[] piece = new byte[PIECE_BYTES]; ; piece = new byte[PIECE_BYTES]) {
                int length = answer.readNBytes(piece, 0, PIECE_BYTES);
                if (length == 0) {
                    break;
                }
                response.write(Buffer.buffer(length == PIECE_BYTES ? piece : Arrays.copyOf(piece, length)));
                sent += length;
                awaitRoom(response, gone, deadline);
            }
        } catch (Exception failure) {
            if (!gone.isDone()) {
                response.write(Buffer.buffer(answer.cutOff()));
            }
            metrics.cut();
            LOG.log(false, "answer cut off", "remote-read answer cut off after " + sent + " bytes: "
                    + (gone.isDone() ? "the client closed the connection" : failure.getMessage()));
        }
        // ended here, so platform-http sends nothing more
        response.end();
        message.setBody(null);
    }

    private void awaitRoom(HttpServerResponse response, CompletableFuture<Void> gone, long deadline)
            throws InterruptedException, ExecutionException {
        while (response.writeQueueFull() && !gone.isDone()) {
            CompletableFuture<Void> room = new CompletableFuture<>();
            response.drainHandler(drained -> room.complete(null));
            if (!response.writeQueueFull()) {
                return; // drained before the handler was set
            }
            try {
                CompletableFuture.anyOf(room, gone).get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException slowClient) {
                limits.checkTime(deadline);
            }
        }
        if (gone.isDone()) {
            throw new IllegalStateException("the client closed the connection");
        }
    }
}
