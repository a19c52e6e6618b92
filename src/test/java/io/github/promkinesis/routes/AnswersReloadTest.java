package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.Deployment;
import io.github.promkinesis.it.RemoteWriteBodies;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ROUTES_RELOAD with the answers in a file of their own: an edited answers.yaml changes what the write routes,
 * which opt into it, answer, though their own file did not change.
 */
class AnswersReloadTest {

    @Test
    void anEditedAnswersFileIsWhatTheWriteRoutesAnswer() throws Exception {
        Path routes = Files.createTempDirectory("routes");
        Deployment.copyShippedRoutes(routes);
        Map<String, String> json = Map.of("Content-Encoding", "snappy", "Content-Type", "application/json");
        try (MockSinkAdapter adapter = new MockSinkAdapter(Map.of("ROUTES_DIR", routes.toString(),
                "ROUTES_RELOAD", "true"))) {
            assertEquals(415, adapter.send("/receive", "POST", new byte[] {1}, json).statusCode());

            Path answers = routes.resolve("answers.yaml");
            String shipped = Files.readString(answers);
            String edited = shipped.replace("constant: \"415\"", "constant: \"400\"");
            assertTrue(!edited.equals(shipped), "answers.yaml says 415 for the wrong content type");
            Files.writeString(answers, edited);

            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            HttpResponse<String> answer;
            do {
                assertTrue(System.nanoTime() < deadline, "the edited answers taken within 15 s");
                Thread.sleep(250);
                answer = adapter.send("/api/v1/write", "POST", new byte[] {1}, json);
            } while (answer.statusCode() != 400);
            assertTrue(answer.body().startsWith("UnsupportedMediaTypeException: "), answer.body());
            assertEquals(400, adapter.send("/receive", "POST", new byte[] {1}, json).statusCode());
        }
    }
}
