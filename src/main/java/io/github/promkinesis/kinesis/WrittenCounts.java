package io.github.promkinesis.kinesis;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The counts remote write 2.0 asks for in every answer: X-Prometheus-Remote-Write-Samples-Written,
 * -Histograms-Written and -Exemplars-Written, exact, and what had been written when a request fails (0 when
 * nothing was). Counted as each batch is accepted, in a holder the split's copies of the exchange share (and
 * add to from several threads: a request's batches are sent at once). The batch is noted on its own copy before
 * the call ({@link #sending}), as a sink's producer may replace the body with its answer.
 */
public final class WrittenCounts {

    public static final String SAMPLES = "X-Prometheus-Remote-Write-Samples-Written";
    public static final String HISTOGRAMS = "X-Prometheus-Remote-Write-Histograms-Written";
    public static final String EXEMPLARS = "X-Prometheus-Remote-Write-Exemplars-Written";

    static final String PROPERTY = "promkinesis.written";
    private static final String SENDING = "promkinesis.sending";

    public void start(Exchange exchange) {
        exchange.setProperty(PROPERTY, new Written());
    }

    /** Before a batch is sent: the body is the batch. */
    public void sending(Exchange exchange) {
        exchange.setProperty(SENDING, exchange.getMessage().getBody(RecordBatch.class));
    }

    /** After the batch being sent was accepted by the sink. */
    public void delivered(Exchange exchange) {
        exchange.getProperty(PROPERTY, Written.class).add(exchange.getProperty(SENDING, RecordBatch.class));
    }

    /** Sets the three headers on the answer. */
    public static void answer(Exchange exchange) {
        Written written = exchange.getProperty(PROPERTY, Written.class);
        long[] counts = written == null ? new long[3] : written.counts();
        Message message = exchange.getMessage();
        message.setHeader(SAMPLES, counts[0]);
        message.setHeader(HISTOGRAMS, counts[1]);
        message.setHeader(EXEMPLARS, counts[2]);
    }

    private static final class Written {
        private long samples;
        private long histograms;
        private long exemplars;

        synchronized void add(RecordBatch batch) {
            samples += batch.samples();
            histograms += batch.histograms();
            exemplars += batch.exemplars();
        }

        synchronized long[] counts() {
            return new long[] {samples, histograms, exemplars};
        }
    }
}
