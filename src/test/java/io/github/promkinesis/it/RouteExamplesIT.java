package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The released jar run against a changed routes directory, as a user changes it: routes/ copied, transform.yaml
 * replaced by an example from routes/examples/, no build. Each change shows in what reaches the stream.
 */
class RouteExamplesIT {

    private static final WriteRequest MIXED = WriteRequest.newBuilder()
            .addTimeseries(series("go_goroutines", "a", 1))
            .addTimeseries(series("node_load1", "b", 2))
            .addTimeseries(series("up", "c", 3))
            .build();

    @Test
    void dropSeriesRemovesMatchingSeries() throws Exception {
        try (Deployment it = Deployment.direct("RouteExamplesIT-drop", 1, routes("drop-series.yaml"))) {
            List<String> mark = it.mark();

            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED)).statusCode());

            assertEquals(SampleLines.sent(request(MIXED.getTimeseries(1), MIXED.getTimeseries(2))),
                    it.arrivedSince(mark));
        }
    }

    @Test
    void addClusterLabelLabelsEverySeriesInSortedPlace() throws Exception {
        Map<String, String> settings = routes("add-cluster-label.yaml");
        settings.put("CLUSTER", "eu-test");
        try (Deployment it = Deployment.direct("RouteExamplesIT-label", 1, settings)) {
            List<String> mark = it.mark();

            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED)).statusCode());

            WriteRequest.Builder expected = WriteRequest.newBuilder();
            for (TimeSeries series : MIXED.getTimeseriesList()) {
                expected.addTimeseries(series.toBuilder().clearLabels().addLabels(series.getLabels(0))
                        .addLabels(label("cluster", "eu-test")).addLabels(series.getLabels(1)));
            }
            assertEquals(SampleLines.sent(expected.build()), it.arrivedSince(mark));
        }
    }

    @Test
    void secondStreamTakesTheMatchingSeriesAndTheMainStreamTheRest() throws Exception {
        Map<String, String> settings = routes("second-stream.yaml");
        settings.put("SECOND_STREAM_NAME", "node-metrics");
        try (Deployment it = Deployment.direct("RouteExamplesIT-second", 1, settings)) {
            StreamReader second = it.kinesis.createStream("node-metrics", 1);
            List<String> mark = it.mark();
            List<String> secondMark = second.iteratorsAt(ShardIteratorType.LATEST);

            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED)).statusCode());

            assertEquals(SampleLines.sent(request(MIXED.getTimeseries(0), MIXED.getTimeseries(2))),
                    it.arrivedSince(mark));
            assertEquals(SampleLines.sent(request(MIXED.getTimeseries(1))), SampleLines.received(second.read(secondMark)));
        }
    }

    /** A copy of routes/ whose transform.yaml is the example, as the ROUTES_DIR setting. */
    private static Map<String, String> routes(String example) throws Exception {
        Path dir = Files.createTempDirectory("routes");
        Files.copy(Path.of("routes/remote-write.yaml"), dir.resolve("remote-write.yaml"));
        Files.copy(Path.of("routes/examples", example), dir.resolve("transform.yaml"), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.exists(dir.resolve("transform.yaml")));
        return new HashMap<>(Map.of("ROUTES_DIR", dir.toString()));
    }

    private static TimeSeries series(String name, String instance, double value) {
        return TimeSeries.newBuilder().addLabels(label("__name__", name)).addLabels(label("instance", instance))
                .addSamples(sample(value, 1_795_000_000_000L)).build();
    }

    private static WriteRequest request(TimeSeries... series) {
        return WriteRequest.newBuilder().addAllTimeseries(List.of(series)).build();
    }
}
