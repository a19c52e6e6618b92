package io.github.promkinesis.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Requests are admitted by the memory they will take, given back when they end. */
class MemoryBudgetTest {

    private final CamelContext context = new DefaultCamelContext();
    private final MemoryBudget budget = new MemoryBudget();

    MemoryBudgetTest() {
        budget.setMaxDecompressedBytes(32 << 20);
        budget.setMaxInflightBytes(10 << 20); // 10 MiB: room for two requests of 0.5 MiB (4+ MiB each), not three
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void requestsThatFitAreAdmittedTheNextWaitsThenIs503AndAnEndedOneGivesItsShareBack() throws Exception {
        Exchange first = admitted(512 << 10);
        admitted(512 << 10);
        long started = System.nanoTime();
        OverloadedException refused = assertThrows(OverloadedException.class, () -> admitted(512 << 10));
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waitedMs >= MemoryBudget.WAIT_MILLIS - 50 && waitedMs < 2000, "waited briefly: " + waitedMs);
        assertTrue(refused.getMessage().contains("MAX_INFLIGHT_BYTES"), refused.getMessage());

        first.getExchangeExtension().handoverCompletions().forEach(done -> done.onComplete(first));
        admitted(512 << 10); // the first one's share is back
    }

    @Test
    void aRequestLargerThanTheWholeBudgetIs413WhileUnreadableOrOverLimitHeadersAreLeftToSnappy() throws Exception {
        InflightBytesExceededException tooLarge = assertThrows(InflightBytesExceededException.class,
                () -> admitted(2 << 20)); // 16 MiB once decoded
        assertTrue(tooLarge.getMessage().contains("more than MAX_INFLIGHT_BYTES (10 MiB)"), tooLarge.getMessage());

        budget.setMaxDecompressedBytes(1 << 20);
        admitted(2 << 20); // over MAX_DECOMPRESSED_BYTES: snappy-decode answers 413 with that reason
        budget.process(exchange("not snappy at all".getBytes()));
        budget.process(exchange(null)); // an empty request: left to snappy-decode's 400
    }

    private Exchange admitted(int decompressedBytes) throws IOException, InterruptedException {
        Exchange exchange = exchange(Snappy.compress(new byte[decompressedBytes]));
        budget.process(exchange);
        return exchange;
    }

    private Exchange exchange(byte[] body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
