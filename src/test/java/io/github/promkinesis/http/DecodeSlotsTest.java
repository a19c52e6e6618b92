package io.github.promkinesis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.kinesis.DeliveryDeadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** At most N requests decode at once; the others wait their turn until their deadline. */
class DecodeSlotsTest {

    private final CamelContext context = new DefaultCamelContext();
    private final DecodeSlots slots = new DecodeSlots();
    private final DeliveryDeadline deadline = new DeliveryDeadline();

    DecodeSlotsTest() {
        slots.setMaxConcurrentDecodes(1);
        deadline.setDeadlineMillis(300);
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void aRequestWaitsForTheSlotAndTakesItWhenTheRecordsBeforeItAreBuilt() throws Exception {
        Exchange first = taken();
        CompletableFuture<Exchange> second = CompletableFuture.supplyAsync(this::takenUnchecked);
        Thread.sleep(100);
        assertTrue(!second.isDone(), "waits while the slot is held");

        slots.give(first);
        slots.give(first); // given once: the route gives it after building records, completion gives it again
        Exchange secondTook = second.get(1, TimeUnit.SECONDS);
        long started = System.nanoTime();
        assertThrows(OverloadedException.class, this::taken, "one slot, held by the second");
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waitedMs >= 250 && waitedMs < 2000, "waited until its deadline: " + waitedMs);

        secondTook.getExchangeExtension().handoverCompletions().forEach(done -> done.onComplete(secondTook));
        taken(); // a request that failed before giving its slot gives it when it ends
    }

    @Test
    void zeroMeansOneSlotPerCoreAndARefusalNamesTheSetting() throws Exception {
        slots.setMaxConcurrentDecodes(0);
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < cores; i++) {
            taken();
        }
        deadline.setDeadlineMillis(0);
        OverloadedException refused = assertThrows(OverloadedException.class, this::taken);
        assertTrue(refused.getMessage().contains("MAX_CONCURRENT_DECODES, " + cores + ")"), refused.getMessage());
        assertEquals(0, DeliveryDeadline.remainingNanos(new DefaultExchange(context)), "no deadline, no wait");
    }

    private Exchange taken() throws InterruptedException {
        Exchange exchange = new DefaultExchange(context);
        deadline.start(exchange);
        slots.take(exchange);
        return exchange;
    }

    private Exchange takenUnchecked() {
        try {
            return taken();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
