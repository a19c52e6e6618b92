package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.request;
import static io.github.promkinesis.it.RemoteWriteBodies.series;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The released jar run against a changed routes directory, as a user changes it: routes/ copied, transform.yaml
 * replaced by an example from routes/examples/, no build, its setting from the process environment, its
 * deliveries through the real Kinesis endpoints. What each example does to a request, and its answers, are
 * checked in the JVM (routes.ExampleRoutesTest).
 */
class RouteExamplesIT {

    private static final WriteRequest MIXED = request(series("go_goroutines", "a", 1), series("node_load1", "b", 2),
            series("up", "c", 3));

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
        return new HashMap<>(Map.of("ROUTES_DIR", Deployment.routesWith(example).toString()));
    }
}
