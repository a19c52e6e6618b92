package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Packed and gzip records and the partition key strategies, against kinesalite: the records are read back,
 * split into lines and compared with what was sent, sample by sample.
 */
class RecordPackingIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void packedRecordsCarryEveryLineInFewRecordsOfAtMostOnePutUnit() throws Exception {
        try (Deployment it = Deployment.inProcess("RecordPackingIT-packed", 2, Map.of("KINESIS_RECORD_MODE", "packed"))) {
            List<String> mark = it.mark();
            WriteRequest fixture = RemoteWriteBodies.parse(RemoteWriteBodies.fixture());
            WriteRequest generated = RemoteWriteBodies.generated("packed", 1000, 3, 7);

            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(fixture)).statusCode());
            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(generated)).statusCode());

            List<Record> records = it.stream.read(mark);
            assertEquals(SampleLines.sent(fixture, generated), SampleLines.receivedPacked(records, false, 500));
            long bytes = 0;
            for (Record record : records) {
                assertTrue(record.data().asByteArray().length <= 25_000, record.data().asByteArray().length + " bytes");
                bytes += record.data().asByteArray().length;
            }
            assertTrue(records.size() <= bytes / 25_000 + 2 * 2, records.size() + " records for " + bytes + " bytes");
        }
    }

    @Test
    void gzipRecordsInflateToEveryLineAndTogetherFormOneGzipFile() throws Exception {
        try (Deployment it = Deployment.inProcess("RecordPackingIT-gzip", 1, Map.of("KINESIS_RECORD_MODE", "packed",
                "KINESIS_RECORD_GZIP", "true", "KINESIS_RECORD_MAX_BYTES", "100000"))) {
            List<String> mark = it.mark();
            WriteRequest generated = RemoteWriteBodies.generated("gzip", 2000, 2, 11);

            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(generated)).statusCode());

            List<Record> records = it.stream.read(mark);
            assertEquals(SampleLines.sent(generated), SampleLines.receivedPacked(records, true, 500));
            ByteArrayOutputStream s3Object = new ByteArrayOutputStream(); // what Firehose concatenates
            for (Record record : records) {
                s3Object.write(record.data().asByteArray());
            }
            List<String> lines = new ArrayList<>();
            for (String line : SampleLines.gunzip(s3Object.toByteArray()).split("\n")) {
                lines.add(SampleLines.parse(line));
            }
            lines.sort(null);
            assertEquals(SampleLines.sent(generated), lines);
        }
    }

    @Test
    void seriesKeysKeepEachSeriesOnOneShardInTimeOrder() throws Exception {
        try (Deployment it = Deployment.inProcess("RecordPackingIT-series", 4, Map.of("KINESIS_PARTITION_KEY", "series"))) {
            List<String> mark = it.mark();
            List<WriteRequest> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // the same 200 series, later samples each time
                WriteRequest request = shifted(RemoteWriteBodies.generated("series", 200, 2, 3), i * 60_000L);
                sent.add(request);
                assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode());
            }

            Map<String, Set<String>> keysBySeries = new HashMap<>();
            Map<String, Set<Integer>> shardsBySeries = new HashMap<>();
            List<Record> all = new ArrayList<>();
            for (int shard = 0; shard < mark.size(); shard++) {
                Map<String, Long> lastTime = new HashMap<>();
                for (Record record : it.stream.read(List.of(mark.get(shard)))) {
                    JsonNode line = JSON.readTree(record.data().asUtf8String());
                    String series = line.get("labels").toString();
                    keysBySeries.computeIfAbsent(series, k -> new HashSet<>()).add(record.partitionKey());
                    shardsBySeries.computeIfAbsent(series, k -> new HashSet<>()).add(shard);
                    long time = line.get("time").longValue();
                    assertTrue(time > lastTime.getOrDefault(series, Long.MIN_VALUE), "in time order: " + series);
                    lastTime.put(series, time);
                    all.add(record);
                }
            }
            assertEquals(SampleLines.sent(sent.toArray(WriteRequest[]::new)), SampleLines.received(all));
            assertEquals(200, keysBySeries.size());
            keysBySeries.forEach((series, keys) -> assertEquals(1, keys.size(), series));
            shardsBySeries.forEach((series, shards) -> assertEquals(1, shards.size(), series));
            assertEquals(200, keysBySeries.values().stream().map(keys -> keys.iterator().next()).distinct().count());
            assertTrue(shardsBySeries.values().stream().map(shards -> shards.iterator().next()).distinct().count() > 1,
                    "series spread over the shards");
        }
    }

    @Test
    void metricKeysPackOneMetricPerRecordUnderItsName() throws Exception {
        try (Deployment it = Deployment.inProcess("RecordPackingIT-metric", 2, Map.of("KINESIS_RECORD_MODE", "packed",
                "KINESIS_PARTITION_KEY", "metric"))) {
            List<String> mark = it.mark();
            WriteRequest fixture = RemoteWriteBodies.parse(RemoteWriteBodies.fixture());

            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(fixture)).statusCode());

            List<Record> records = it.stream.read(mark);
            assertEquals(SampleLines.sent(fixture), SampleLines.receivedPacked(records, false, 500));
            for (Record record : records) {
                for (String line : record.data().asUtf8String().split("\n")) {
                    assertEquals(record.partitionKey(), JSON.readTree(line).get("name").textValue());
                }
            }
        }
    }

    private static WriteRequest shifted(WriteRequest request, long millis) {
        WriteRequest.Builder shifted = request.toBuilder();
        for (var series : shifted.getTimeseriesBuilderList()) {
            for (var sample : series.getSamplesBuilderList()) {
                sample.setTimestamp(sample.getTimestamp() + millis);
            }
        }
        return shifted.build();
    }
}
