package io.github.promkinesis.kinesis;

import org.apache.camel.Exchange;

/**
 * The time a request may spend delivering, so the answer comes before Prometheus' remote_timeout (30 s by
 * default). Started once per request; checked before each batch is sent. A batch already sending may use its
 * own retry budget on top, so the answer comes at the latest after the deadline plus one retry budget.
 */
public final class DeliveryDeadline {

    static final String PROPERTY = "promkinesis.deliveryDeadlineNanos";

    private long deadlineMillis = 10_000;

    public void setDeadlineMillis(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
    }

    public void start(Exchange exchange) {
        exchange.setProperty(PROPERTY, System.nanoTime() + deadlineMillis * 1_000_000);
    }

    public void check(Exchange exchange) {
        Long deadline = exchange.getProperty(PROPERTY, Long.class);
        if (deadline != null && System.nanoTime() > deadline) {
            throw new DeliveryFailedException("the delivery deadline of " + deadlineMillis
                    + " ms passed before every batch was sent");
        }
    }
}
