package io.github.promkinesis.read;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.http.OverloadedException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * READ_MAX_CONCURRENT: a request beyond it refused, naming it, while the others are answered (their answers sent by
 * the route's last step); a place given back when its request's route is done, answered or failed.
 */
class ReadAdmissionTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @Test
    void aRequestBeyondTheLimitIsRefusedUntilOneIsDone() {
        ReadAdmission admission = new ReadAdmission(1);
        Exchange answering = new DefaultExchange(context);
        admission.admit(answering); // its answer still being sent

        OverloadedException refused = assertThrows(OverloadedException.class,
                () -> admission.admit(new DefaultExchange(context)));
        assertTrue(refused.getMessage().contains("READ_MAX_CONCURRENT"), refused.getMessage());

        done(answering);
        Exchange next = new DefaultExchange(context);
        assertDoesNotThrow(() -> admission.admit(next));
        assertThrows(OverloadedException.class, () -> admission.admit(new DefaultExchange(context)));
        done(next); // failed before its answer: the route's end gives the place back as well
        assertDoesNotThrow(() -> admission.admit(new DefaultExchange(context)));
    }

    /** What Camel does when the route is done with the exchange. */
    private static void done(Exchange exchange) {
        for (Synchronization completion : exchange.getExchangeExtension().handoverCompletions()) {
            completion.onComplete(exchange);
        }
    }
}
