package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.http.OverloadedException;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * READ_MAX_CONCURRENT: a request beyond it refused, naming it; a place given back once, by a closed answer or by the
 * end of a request that failed before its answer.
 */
class ReadAdmissionTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @Test
    void aRequestBeyondTheLimitIsRefusedUntilAnAnswerIsClosed() {
        ReadAdmission admission = new ReadAdmission(1);
        Exchange streaming = new DefaultExchange(context);
        admission.admit(streaming);
        SeriesStream answer = new ChunkFrames(List.of(), null, 0, null);
        answer.whenClosed(streaming.getProperty(ReadAdmission.PERMIT, ReadAdmission.Permit.class)::release);
        streaming.getProperty(ReadAdmission.PERMIT, ReadAdmission.Permit.class).handOver();
        done(streaming); // the route is done; the answer is still being sent

        OverloadedException refused = assertThrows(OverloadedException.class,
                () -> admission.admit(new DefaultExchange(context)));
        assertTrue(refused.getMessage().contains("READ_MAX_CONCURRENT"), refused.getMessage());

        answer.close();
        answer.close(); // given back once
        Exchange next = new DefaultExchange(context);
        assertDoesNotThrow(() -> admission.admit(next));
        assertThrows(OverloadedException.class, () -> admission.admit(new DefaultExchange(context)));
        done(next); // failed before its answer: the route's end gives the place back
        assertDoesNotThrow(() -> admission.admit(new DefaultExchange(context)));
    }

    /** What Camel does when the route is done with the exchange. */
    private static void done(Exchange exchange) {
        for (Synchronization completion : exchange.getExchangeExtension().handoverCompletions()) {
            completion.onComplete(exchange);
        }
    }
}
