package io.github.promkinesis.it;

import io.github.promkinesis.Application;
import io.github.promkinesis.config.Settings;
import io.github.promkinesis.config.SettingsSource;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The adapter wired exactly as the jar wires it (Application.wire: the same routes, beans and checked
 * settings), started inside the test's JVM: seconds faster than a process, for the tests of the route's logic.
 * Its log lines are captured while it runs.
 */
final class InProcessAdapter extends LoopbackEndpoint implements AutoCloseable {

    private final StringWriter log = new StringWriter();
    private final WriterAppender appender;
    private final Main main;

    InProcessAdapter(String name, Map<String, String> settings) throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", String.valueOf(port)));
        environment.putAll(settings);
        appender = captureLog(name);
        main = Application.wire(Settings.read(SettingsSource.environmentOnly(environment)));
        main.init();
        main.start();
        awaitReady();
    }

    @Override
    public String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    private void awaitReady() throws Exception {
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> health = http().send(HttpRequest.newBuilder(uri("/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("in-process adapter not ready:\n" + log());
    }

    private WriterAppender captureLog(String name) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        WriterAppender capture = WriterAppender.newBuilder().setName("capture-" + name).setTarget(log)
                .setLayout(PatternLayout.newBuilder().withConfiguration(configuration)
                        .withPattern("%d{ISO8601} %-5p [%t] %c{1} - %m%n").build())
                .build();
        capture.start();
        configuration.getRootLogger().addAppender(capture, Level.INFO, null);
        context.updateLoggers();
        return capture;
    }

    @Override
    public void close() {
        main.stop();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
