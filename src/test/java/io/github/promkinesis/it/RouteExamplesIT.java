package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.tools.StreamReader;
import java.net.http.HttpResponse;
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

    @Test
    void aSecondStreamThatCannotTakeTheRecordsMakesTheRequestBeResent() throws Exception {
        Map<String, String> settings = routes("second-stream.yaml");
        settings.putAll(Map.of("SECOND_STREAM_NAME", "no-such-stream", "DELIVERY_DEADLINE_MS", "1000"));
        try (Deployment it = Deployment.direct("RouteExamplesIT-second-missing", 1, settings)) {
            HttpResponse<String> answer = it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED));
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent(), answer.headers().toString());
        }
    }

    @Test
    void eachTenantWritesIntoItsOwnStreamWithItsLabelAndNoOneElse() throws Exception {
        Map<String, String> settings = routes("stream-per-tenant.yaml");
        settings.putAll(Map.of("TENANT_HEADER", "X-Scope-OrgID", "TENANT_REQUIRED", "true",
                "TENANT_STREAM_PREFIX", "tenant-"));
        try (Deployment it = Deployment.direct("RouteExamplesIT-tenant", 1, settings)) {
            StreamReader teamA = it.kinesis.createStream("tenant-team-a", 1);
            StreamReader teamB = it.kinesis.createStream("tenant-team-b", 1);
            List<String> mark = it.mark();
            List<String> markA = teamA.iteratorsAt(ShardIteratorType.LATEST);
            List<String> markB = teamB.iteratorsAt(ShardIteratorType.LATEST);
            // a client claiming another tenant by label gets its header's tenant instead
            WriteRequest claimingB = request(MIXED.getTimeseries(0).toBuilder().addLabels(label("tenant", "team-b"))
                    .build());

            assertEquals(204, tenantWrite(it, "team-a", MIXED).statusCode());
            assertEquals(204, tenantWrite(it, "team-a", claimingB).statusCode());
            assertEquals(204, tenantWrite(it, "team-b", request(MIXED.getTimeseries(2))).statusCode());
            HttpResponse<String> noTenant = it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED));
            assertEquals(400, noTenant.statusCode());
            assertTrue(noTenant.body().contains("no X-Scope-OrgID header"), noTenant.body());
            assertEquals(400, tenantWrite(it, "a|b", MIXED).statusCode());
            HttpResponse<String> notAStream = tenantWrite(it, "team(a)", MIXED);
            assertEquals(400, notAStream.statusCode());
            assertTrue(notAStream.body().contains("cannot name a stream"), notAStream.body());

            List<String> expectedA = new java.util.ArrayList<>(SampleLines.sent(withTenant(MIXED, "team-a")));
            expectedA.addAll(SampleLines.sent(withTenant(request(MIXED.getTimeseries(0)), "team-a")));
            List<String> receivedA = new java.util.ArrayList<>(SampleLines.received(teamA.read(markA)));
            expectedA.sort(null);
            receivedA.sort(null);
            assertEquals(expectedA, receivedA);
            assertEquals(SampleLines.sent(withTenant(request(MIXED.getTimeseries(2)), "team-b")),
                    SampleLines.received(teamB.read(markB)));
            assertEquals(List.of(), it.arrivedSince(mark), "nothing in the main stream");
        }
    }

    private static HttpResponse<String> tenantWrite(Deployment it, String tenant, WriteRequest request)
            throws Exception {
        return it.adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), Map.of("Content-Encoding",
                "snappy", "Content-Type", "application/x-protobuf", "X-Prometheus-Remote-Write-Version", "0.1.0",
                "X-Scope-OrgID", tenant));
    }

    /** The request as the tenant's label makes it: tenant=NAME in its sorted place, after instance. */
    private static WriteRequest withTenant(WriteRequest request, String tenant) {
        WriteRequest.Builder labelled = WriteRequest.newBuilder();
        for (TimeSeries series : request.getTimeseriesList()) {
            labelled.addTimeseries(series.toBuilder().clearLabels().addLabels(series.getLabels(0))
                    .addLabels(series.getLabels(1)).addLabels(label("tenant", tenant)));
        }
        return labelled.build();
    }

    /** A copy of routes/ whose transform.yaml is the example, as the ROUTES_DIR setting. */
    private static Map<String, String> routes(String example) throws Exception {
        Path dir = Files.createTempDirectory("routes");
        Deployment.copyShippedRoutes(dir);
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
