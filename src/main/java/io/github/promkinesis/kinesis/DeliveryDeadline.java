package io.github.promkinesis.kinesis;

import java.util.OptionalLong;
import org.apache.camel.Exchange;

/**
 * The time a request may spend, so the answer comes before Prometheus' remote_timeout (30 s by default).
 * Started when the request arrives; checked before each batch is sent. The check hands what is left to the
 * PutRecords call that follows it on the same thread, so the client's retries stop at the same deadline: one
 * budget for the whole answer.
 */
public final class DeliveryDeadline {

    static final String PROPERTY = "promkinesis.deliveryDeadlineNanos";
    /** Taken by the next PutRecords call on this thread, so a call outside a request never sees a stale one. */
    private static final ThreadLocal<Long> FOR_NEXT_CALL = new ThreadLocal<>();

    private long deadlineMillis;

    public void setDeadlineMillis(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
    }

    public void start(Exchange exchange) {
        exchange.setProperty(PROPERTY, System.nanoTime() + deadlineMillis * 1_000_000);
    }

    public void check(Exchange exchange) {
        Long deadline = exchange.getProperty(PROPERTY, Long.class);
        if (deadline == null) {
            return;
        }
        if (System.nanoTime() > deadline) {
            throw new DeliveryFailedException("the delivery deadline of " + deadlineMillis
                    + " ms passed before every batch was sent");
        }
        FOR_NEXT_CALL.set(deadline);
    }

    /** Time left before the request's deadline; 0 when past it or when none was started. */
    public static long remainingNanos(Exchange exchange) {
        Long deadline = exchange.getProperty(PROPERTY, Long.class);
        return deadline == null ? 0 : Math.max(0, deadline - System.nanoTime());
    }

    /** The deadline (System.nanoTime) the last check on this thread left for one PutRecords call, if any. */
    static OptionalLong takeForThisCall() {
        Long deadline = FOR_NEXT_CALL.get();
        FOR_NEXT_CALL.remove();
        return deadline == null ? OptionalLong.empty() : OptionalLong.of(deadline);
    }
}
