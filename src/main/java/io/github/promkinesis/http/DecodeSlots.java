package io.github.promkinesis.http;

import io.github.promkinesis.kinesis.DeliveryDeadline;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;

/**
 * Lets at most as many requests decode and encode at once as there are cores (MAX_CONCURRENT_DECODES). More
 * would not finish sooner, they would share the cores, and each one's decoded objects would live for the time
 * all of them take instead of its own: long enough to outlive young collections, fill a small heap and cost
 * collector time. Admitted requests wait here holding only their compressed bytes; a slot is taken before
 * decompressing and given back once the records are built, before the sink is called (its waits use no core).
 */
public class DecodeSlots {

    private static final String HELD = "promkinesis.decodeSlotHeld";

    private int maxConcurrentDecodes;
    private Semaphore slots;

    /** 0: one per core the JVM sees. */
    public void setMaxConcurrentDecodes(int decodes) {
        maxConcurrentDecodes = decodes > 0 ? decodes : Runtime.getRuntime().availableProcessors();
        slots = new Semaphore(maxConcurrentDecodes, true);
    }

    /** Waits for a slot until the delivery deadline; past it the request is refused to be resent (503). */
    public void take(Exchange exchange) throws InterruptedException {
        if (!slots.tryAcquire(DeliveryDeadline.remainingNanos(exchange), TimeUnit.NANOSECONDS)) {
            throw new OverloadedException("every decode slot (MAX_CONCURRENT_DECODES, " + maxConcurrentDecodes
                    + ") stayed busy until the delivery deadline: retry later");
        }
        AtomicBoolean held = new AtomicBoolean(true);
        exchange.setProperty(HELD, held);
        RequestEnd.then(exchange, () -> give(held));
    }

    public void give(Exchange exchange) {
        AtomicBoolean held = exchange.getProperty(HELD, AtomicBoolean.class);
        if (held != null) {
            give(held);
        }
    }

    private void give(AtomicBoolean held) {
        if (held.compareAndSet(true, false)) {
            slots.release();
        }
    }
}
