package io.github.promkinesis.routes;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.request;
import static io.github.promkinesis.it.RemoteWriteBodies.series;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.Deployment;
import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.it.SampleLines;
import io.github.promkinesis.kinesis.DeliveryFailedException;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * The examples of routes/examples/, each as routes/transform.yaml of a copy of routes/ (as a user installs one),
 * in the JVM with the streams a mock: what each does to a request, and what it answers.
 */
class ExampleRoutesTest {

    private static final WriteRequest MIXED = request(series("go_goroutines", "a", 1), series("node_load1", "b", 2),
            series("up", "c", 3));

    @Test
    void dropSeriesRemovesMatchingSeries() throws Exception {
        assertEquals(SampleLines.sent(request(MIXED.getTimeseries(1), MIXED.getTimeseries(2))),
                mainStreamAfterMixed(routes("drop-series.yaml")));
    }

    @Test
    void addClusterLabelLabelsEverySeriesInSortedPlace() throws Exception {
        Map<String, String> settings = routes("add-cluster-label.yaml");
        settings.put("CLUSTER", "eu-test");
        WriteRequest.Builder expected = WriteRequest.newBuilder();
        for (TimeSeries series : MIXED.getTimeseriesList()) {
            expected.addTimeseries(series.toBuilder().clearLabels().addLabels(series.getLabels(0))
                    .addLabels(label("cluster", "eu-test")).addLabels(series.getLabels(1)));
        }
        assertEquals(SampleLines.sent(expected.build()), mainStreamAfterMixed(settings));
    }

    @Test
    void secondStreamTakesTheMatchingSeriesAndAFailureThereMakesTheRequestBeResent() throws Exception {
        Map<String, String> settings = routes("second-stream.yaml");
        settings.put("SECOND_STREAM_NAME", "node-metrics");
        try (MockSinkAdapter adapter = new MockSinkAdapter(settings)) {
            assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED)).statusCode());

            assertEquals(SampleLines.sent(request(MIXED.getTimeseries(0), MIXED.getTimeseries(2))),
                    adapter.samplesSentTo("metrics"));
            assertEquals(SampleLines.sent(request(MIXED.getTimeseries(1))), adapter.samplesSentTo("node-metrics"));

            adapter.sink().reset();
            adapter.sink().whenAnyExchangeReceived(batch -> {
                if (batch.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class).contains("node-metrics")) {
                    throw new DeliveryFailedException("node-metrics took nothing");
                }
            });
            HttpResponse<String> answer = adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED));
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent(), answer.headers().toString());
            assertEquals(List.of(), adapter.samplesSentTo("metrics"), "the main stream waits for the second");
        }
    }

    @Test
    void eachTenantWritesIntoItsOwnStreamWithItsLabelAndNoOneElse() throws Exception {
        Map<String, String> settings = routes("stream-per-tenant.yaml");
        settings.putAll(Map.of("TENANT_HEADER", "X-Scope-OrgID", "TENANT_REQUIRED", "true",
                "TENANT_STREAM_PREFIX", "tenant-"));
        try (MockSinkAdapter adapter = new MockSinkAdapter(settings)) {
            // a client claiming another tenant by label gets its header's tenant instead
            WriteRequest claimingB = request(MIXED.getTimeseries(0).toBuilder().addLabels(label("tenant", "team-b"))
                    .build());

            assertEquals(204, tenantWrite(adapter, "team-a", MIXED).statusCode());
            assertEquals(204, tenantWrite(adapter, "team-a", claimingB).statusCode());
            assertEquals(204, tenantWrite(adapter, "team-b", request(MIXED.getTimeseries(2))).statusCode());
            HttpResponse<String> noTenant = adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED));
            assertEquals(400, noTenant.statusCode());
            assertTrue(noTenant.body().contains("no X-Scope-OrgID header"), noTenant.body());
            assertEquals(400, tenantWrite(adapter, "a|b", MIXED).statusCode());
            HttpResponse<String> notAStream = tenantWrite(adapter, "team(a)", MIXED);
            assertEquals(400, notAStream.statusCode());
            assertTrue(notAStream.body().contains("cannot name a stream"), notAStream.body());

            List<String> expectedA = new ArrayList<>(SampleLines.sent(withTenant(MIXED, "team-a")));
            expectedA.addAll(SampleLines.sent(withTenant(request(MIXED.getTimeseries(0)), "team-a")));
            expectedA.sort(null);
            assertEquals(expectedA, adapter.samplesSentTo("tenant-team-a"));
            assertEquals(SampleLines.sent(withTenant(request(MIXED.getTimeseries(2)), "team-b")),
                    adapter.samplesSentTo("tenant-team-b"));
            assertEquals(List.of("tenant-team-a", "tenant-team-b"), adapter.streams().stream().distinct().sorted()
                    .toList(), "nothing in the main stream");
        }
    }

    /** The samples the main stream got from MIXED, answered 204. */
    private static List<String> mainStreamAfterMixed(Map<String, String> settings) throws Exception {
        try (MockSinkAdapter adapter = new MockSinkAdapter(settings)) {
            assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(MIXED)).statusCode());
            return adapter.samplesSentTo("metrics");
        }
    }

    private static HttpResponse<String> tenantWrite(MockSinkAdapter adapter, String tenant, WriteRequest request)
            throws Exception {
        return adapter.send("/receive", "POST", RemoteWriteBodies.snappy(request), Map.of("Content-Encoding",
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
        return new HashMap<>(Map.of("ROUTES_DIR", Deployment.routesWith(example).toString()));
    }
}
