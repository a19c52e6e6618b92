package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A missing required setting stops the process at once, with a message that names it. */
class StartupIT {

    @Test
    void withoutStreamNameTheProcessExitsNamingIt() throws Exception {
        try (Adapter adapter = new Adapter("StartupIT", Map.of("AWS_REGION", Kinesalite.REGION))) {
            assertEquals(2, adapter.awaitExit(Duration.ofSeconds(30)));
            assertTrue(adapter.log().contains("STREAM_NAME is required"), adapter.log());
        }
    }
}
