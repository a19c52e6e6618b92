package io.github.promkinesis.kinesis;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The counts remote write 2.0 asks for in every answer: X-Prometheus-Remote-Write-Samples-Written,
 * -Histograms-Written and -Exemplars-Written, exact, and what had been written when a request fails (0 when
 * nothing was). Counted as each batch is accepted, in a holder the split's copies of the exchange share.
 * The batch is noted before the call ({@link #sending}), as a sink's producer may replace the body with its answer.
 */
public final class WrittenCounts {

    public static final String SAMPLES = "X-Prometheus-Remote-Write-Samples-Written";
    public static final String HISTOGRAMS = "X-Prometheus-Remote-Write-Histograms-Written";
    public static final String EXEMPLARS = "X-Prometheus-Remote-Write-Exemplars-Written";

    static final String PROPERTY = "promkinesis.written";

    public void start(Exchange exchange) {
        exchange.setProperty(PROPERTY, new Written());
    }

    /** Before a batch is sent: the body is the batch. */
    public void sending(Exchange exchange) {
        exchange.getProperty(PROPERTY, Written.class).sending = exchange.getMessage().getBody(RecordBatch.class);
    }

    /** After the batch being sent was accepted by the sink. */
    public void delivered(Exchange exchange) {
        Written written = exchange.getProperty(PROPERTY, Written.class);
        RecordBatch batch = written.sending;
        written.samples += batch.samples();
        written.histograms += batch.histograms();
        written.exemplars += batch.exemplars();
    }

    /** Sets the three headers on the answer. */
    public static void answer(Exchange exchange) {
        Written written = exchange.getProperty(PROPERTY, Written.class);
        Message message = exchange.getMessage();
        message.setHeader(SAMPLES, written == null ? 0 : written.samples);
        message.setHeader(HISTOGRAMS, written == null ? 0 : written.histograms);
        message.setHeader(EXEMPLARS, written == null ? 0 : written.exemplars);
    }

    private static final class Written {
        private RecordBatch sending;
        private long samples;
        private long histograms;
        private long exemplars;
    }
}
