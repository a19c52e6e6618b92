package io.github.promkinesis.read;

import io.github.promkinesis.metrics.ReadMetrics;
import io.github.promkinesis.protocol.prompb.ReadRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The {@code encode-answer} step: the selected series' samples as the answer type the client chose, made as
 * {@link AnswerSink} sends them, a batch of series in memory at a time: SAMPLES, one snappy-compressed ReadResponse
 * ({@link SamplesStream}, sized first by {@link SamplesPlan}, which checks READ_MAX_BYTES), or
 * STREAMED_XOR_CHUNKS, a frame per series ({@link ChunkFrames}).
 */
public final class ReadAnswers {

    private static final String SAMPLES_TYPE = "application/x-protobuf";
    private static final String STREAMED_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    private final ReadLimits limits;
    private final ReadMetrics metrics;
    private final Executor readAhead;

    /** At most {@code maxConcurrent} requests read a batch ahead at once: a thread each. */
    public ReadAnswers(ReadLimits limits, ReadMetrics metrics, int maxConcurrent) {
        this.limits = limits;
        this.metrics = metrics;
        ThreadPoolExecutor threads = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), work -> {
                    Thread thread = new Thread(work, "read-ahead");
                    thread.setDaemon(true);
                    return thread;
                });
        threads.allowCoreThreadTimeOut(true);
        readAhead = threads;
    }

    @SuppressWarnings("unchecked")
    public void encode(Exchange exchange) throws IOException {
        List<SelectedQuery> queries = exchange.getMessage().getBody(List.class);
        long deadline = exchange.getProperty(ReadRequests.DEADLINE, Long.class);
        Message message = exchange.getMessage();
        boolean streamed = exchange.getProperty(ReadRequests.ANSWER) == ReadRequest.ResponseType.STREAMED_XOR_CHUNKS;
        SeriesStream body = streamed ? new ChunkFrames(queries, limits, deadline, readAhead, metrics)
                : new SamplesStream(queries, SamplesPlan.of(queries, limits, deadline, readAhead), limits, deadline,
                        readAhead, metrics);
        body.readFirstBatch();
        // the answer carries none of the request's headers (platform-http echoes them: Content-Encoding included);
        // a failure before here keeps them for its log line
        message.removeHeaders("*");
        message.setBody(body);
        if (streamed) {
            message.setHeader(Exchange.CONTENT_TYPE, STREAMED_TYPE);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, SAMPLES_TYPE);
            message.setHeader("Content-Encoding", "snappy");
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200); // for the metrics: send-answer sends it
    }
}
