package io.github.promkinesis.routes;

import io.github.promkinesis.Application;
import io.github.promkinesis.config.Settings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.it.LoopbackEndpoint;
import io.github.promkinesis.it.SampleLines;
import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.PropertiesFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The adapter wired as the jar wires it (Application.wire: the same routes, beans and checked settings), in the
 * test's JVM, with every send to a Kinesis or Firehose stream going to {@code mock:sink} instead: the routes'
 * answers and the batches they would deliver, with no AWS, kinesalite or process. {@code {{env:NAME}}} in a route
 * reads the test's settings first, as the examples read the process environment.
 */
final class MockSinkAdapter extends LoopbackEndpoint {

    private static final String SINK = "mock:sink";
    /** The routes that send to a stream: the write route, and transform-series in the examples. */
    private static final List<String> SENDING_ROUTES = List.of("remote-write", "transform-series");

    private final Main main;

    MockSinkAdapter(Map<String, String> settings) throws Exception {
        // the SDK clients are built but never called but by the start report and readiness check: an endpoint
        // that refuses at once
        Map<String, String> environment = new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", String.valueOf(port), "STREAM_NAME", "metrics", "AWS_REGION", "us-east-1",
                "KINESIS_ENDPOINT", "http://127.0.0.1:1", "FIREHOSE_ENDPOINT", "http://127.0.0.1:1"));
        environment.putAll(settings);
        main = Application.wire(Settings.read(SettingsSource.environmentOnly(environment)));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport configured) {
                configured.getCamelContext().getPropertiesComponent().addPropertiesFunction(environment(environment));
            }

            @Override
            public void afterConfigure(BaseMainSupport configured) {
                ModelCamelContext context = (ModelCamelContext) configured.getCamelContext();
                for (String route : SENDING_ROUTES) {
                    if (context.getRouteDefinition(route) != null) {
                        adviseToMockSink(context, route);
                    }
                }
            }
        });
        main.init();
        main.start();
    }

    private static void adviseToMockSink(ModelCamelContext context, String route) {
        try {
            AdviceWith.adviceWith(context, route, advice -> advice.interceptSendToEndpoint("aws2-kinesis*")
                    .skipSendToOriginalEndpoint().to(SINK));
        } catch (Exception e) {
            throw new IllegalStateException("cannot replace the sinks of " + route, e);
        }
    }

    /** {@code {{env:NAME:default}}}: the test's setting NAME, else the process environment's, else the default. */
    private static PropertiesFunction environment(Map<String, String> settings) {
        return new PropertiesFunction() {
            @Override
            public String getName() {
                return "env";
            }

            @Override
            public String apply(String remainder) {
                int colon = remainder.indexOf(':');
                String name = colon < 0 ? remainder : remainder.substring(0, colon);
                String value = settings.getOrDefault(name, System.getenv(name));
                return value != null ? value : colon < 0 ? null : remainder.substring(colon + 1);
            }
        };
    }

    /** What the routes sent to the streams, as Camel's mock endpoint received it. */
    MockEndpoint sink() {
        return main.getCamelContext().getEndpoint(SINK, MockEndpoint.class);
    }

    /** Sends to the routes' own endpoints, as a route of the adapter does. */
    ProducerTemplate template() {
        return main.getCamelContext().createProducerTemplate();
    }

    /** The stream each batch went to, in the order sent: the intercepted endpoint's path. */
    List<String> streams() {
        List<String> streams = new ArrayList<>();
        for (Exchange batch : sink().getReceivedExchanges()) {
            String uri = batch.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class);
            streams.add(uri.replaceFirst("^[a-z0-9-]+:(//)?", "").replaceFirst("\\?.*", ""));
        }
        return streams;
    }

    /** Every line of every batch the sink received (to the stream {@code stream}), as SampleLines reads them. */
    List<String> samplesSentTo(String stream) {
        List<String> samples = new ArrayList<>();
        List<String> streams = streams();
        List<Exchange> batches = sink().getReceivedExchanges();
        for (int i = 0; i < batches.size(); i++) {
            if (!streams.get(i).equals(stream)) {
                continue;
            }
            for (KinesisRecord record : batches.get(i).getMessage().getBody(RecordBatch.class).records()) {
                String data = StandardCharsets.UTF_8.decode(record.data().duplicate()).toString();
                for (String line : data.split("\n")) {
                    samples.add(SampleLines.parse(line));
                }
            }
        }
        samples.sort(null);
        return samples;
    }

    /** A JUnit extension: one adapter for a test class, its sink emptied before each test. */
    static final class PerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

        private final Map<String, String> settings;
        private MockSinkAdapter adapter;

        PerClass(Map<String, String> settings) {
            this.settings = settings;
        }

        MockSinkAdapter adapter() {
            return adapter;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            adapter = new MockSinkAdapter(settings);
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            adapter.sink().reset();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            adapter.close();
        }
    }

    @Override
    public String log() {
        return "";
    }

    @Override
    public void close() {
        main.stop();
    }
}
