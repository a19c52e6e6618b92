package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.it.SampleLines;
import io.github.promkinesis.kinesis.DeliveryFailedException;
import io.github.promkinesis.kinesis.WrittenCounts;
import io.github.promkinesis.kinesis.firehose.FirehoseBatch;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * routes/remote-write.yaml's Firehose branch (SINK=firehose) in the JVM, the Firehose stream a mock: a request's
 * lines reach it as PutRecordBatch batches within Firehose's limits, the answer counts them, and a Firehose that
 * takes nothing makes the failure status.
 */
class FirehoseRouteTest {

    private static final int MAX_RECORDS = 500;
    private static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    // one line a record (Firehose's default packs them): the length of a request's lines then picks the limit
    // that cuts its batches, 500 records for short lines, 4 MiB for long ones
    @RegisterExtension
    static final MockSinkAdapter.PerClass ROUTES = new MockSinkAdapter.PerClass(Map.of("SINK", "firehose",
            "FIREHOSE_STREAM_NAME", "metrics-archive", "KINESIS_RECORD_MODE", "sample"));

    @Test
    void shortLinesGoInBatchesOf500Records() throws Exception {
        WriteRequest request = RemoteWriteBodies.generated("firehose", 1_200, 1, 5);

        HttpResponse<String> answer = ROUTES.adapter().remoteWrite("/receive", RemoteWriteBodies.snappy(request));

        assertDelivered(request, answer);
        assertEquals(List.of(200, 500, 500), recordsPerBatch());
    }

    @Test
    void longLinesGoInBatchesOfAtMost4MiB() throws Exception {
        // 500 lines of 9 KB: one PutRecords call of Kinesis (5 MiB), two of Firehose
        WriteRequest.Builder longLines = WriteRequest.newBuilder();
        for (TimeSeries series : RemoteWriteBodies.generated("firehose-long", MAX_RECORDS, 1, 7).getTimeseriesList()) {
            longLines.addTimeseries(series.toBuilder().addLabels(RemoteWriteBodies.label("zz_padding",
                    "x".repeat(9_000))));
        }
        WriteRequest request = longLines.build();

        HttpResponse<String> answer = ROUTES.adapter().remoteWrite("/receive", RemoteWriteBodies.snappy(request));

        assertDelivered(request, answer);
        List<Integer> records = recordsPerBatch();
        assertEquals(2, records.size(), "batches of " + records);
    }

    @Test
    void aFirehoseThatTakesNothingIsTheFailureStatusWithNothingWritten() throws Exception {
        ROUTES.adapter().sink().whenAnyExchangeReceived(batch -> {
            throw new DeliveryFailedException("Firehose took nothing");
        });

        HttpResponse<String> answer = ROUTES.adapter().remoteWrite("/receive",
                RemoteWriteBodies.snappy(RemoteWriteBodies.generated("firehose-down", 10, 10, 3)));

        assertEquals(503, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("Firehose took nothing"), answer.body());
        assertEquals("5", answer.headers().firstValue("Retry-After").orElse(""));
        assertEquals("0", answer.headers().firstValue(WrittenCounts.SAMPLES).orElse(""));
    }

    /**
     * 204 with the written counts; every line at the Firehose stream, as FirehoseBatch bodies within its limits,
     * is a sample sent, each once.
     */
    private static void assertDelivered(WriteRequest sent, HttpResponse<String> answer) {
        assertEquals(204, answer.statusCode(), answer.body());
        List<String> samples = SampleLines.sent(sent);
        assertEquals(samples, ROUTES.adapter().samplesSentTo("metrics-archive"));
        assertEquals(List.of("metrics-archive"), ROUTES.adapter().streams().stream().distinct().toList());
        assertEquals(String.valueOf(samples.size()), answer.headers().firstValue(WrittenCounts.SAMPLES).orElse(""));
        for (Exchange batch : ROUTES.adapter().sink().getReceivedExchanges()) {
            FirehoseBatch records = assertInstanceOf(FirehoseBatch.class, batch.getMessage().getBody());
            long bytes = records.records().stream().mapToLong(record -> record.data().remaining()).sum();
            assertTrue(records.size() <= MAX_RECORDS && bytes <= MAX_BATCH_BYTES,
                    records.size() + " records of " + bytes + " bytes in a batch");
        }
    }

    /** The records of each batch the sink received, fewest first. */
    private static List<Integer> recordsPerBatch() {
        List<Integer> sizes = new ArrayList<>();
        for (Exchange batch : ROUTES.adapter().sink().getReceivedExchanges()) {
            sizes.add(batch.getMessage().getBody(FirehoseBatch.class).records().size());
        }
        sizes.sort(null);
        return sizes;
    }
}
