package io.github.promkinesis.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class KinesisRecordsTest {

    private final JsonLineWriter encoder = ShippedDefaults.encoder();
    private final KinesisRecords records = ShippedDefaults.kinesisRecords();

    @Test
    void sampleModeWritesOneLinePerRecordUnderARandomKeyEach() {
        JsonLines lines = encoder.toJsonLines(request(100, 3));

        List<KinesisRecord> out = records.of(lines);

        assertEquals(300, out.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < out.size(); i++) {
            assertEquals(line(lines, i), text(out.get(i).data()));
            assertTrue(out.get(i).partitionKey().matches("[0-9a-f]{1,16}"), out.get(i).partitionKey());
            keys.add(out.get(i).partitionKey());
        }
        assertTrue(keys.size() > 290, "random keys: " + keys.size());
    }

    @Test
    void seriesKeysAreTheSameForTheSameLabelsInEveryRequestAndDifferOtherwise() {
        records.setPartitionKey("series");

        List<KinesisRecord> first = records.of(encoder.toJsonLines(request(50, 2)));
        List<KinesisRecord> again = records.of(encoder.toJsonLines(request(50, 2)));

        assertEquals(first.stream().map(KinesisRecord::partitionKey).toList(),
                again.stream().map(KinesisRecord::partitionKey).toList());
        assertEquals(first.get(0).partitionKey(), first.get(1).partitionKey(), "two samples of one series");
        assertEquals(50, first.stream().map(KinesisRecord::partitionKey).distinct().count());
    }

    @Test
    void metricKeysAreTheMetricNameAlwaysValid() {
        records.setPartitionKey("metric");
        String longName = "m".repeat(300);
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series(List.of(label("__name__", "up"), label("job", "a")), 1))
                .addTimeseries(series(List.of(label("job", "nameless")), 1))
                .addTimeseries(series(List.of(label("__name__", longName)), 1)).build();

        List<String> keys = records.of(encoder.toJsonLines(request)).stream().map(KinesisRecord::partitionKey).toList();

        assertEquals(List.of("up", PartitionKeyStrategy.UNNAMED, "m".repeat(256)), keys);
    }

    @Test
    void packedRecordsHoldWholeLinesWithinTheByteAndLineLimitsAndLoseNothing() {
        records.setMode("packed");
        records.setMaxBytes(5_000);
        records.setMaxLines(30);
        JsonLines lines = encoder.toJsonLines(request(400, 2));

        List<KinesisRecord> out = records.of(lines);

        StringBuilder all = new StringBuilder();
        for (KinesisRecord record : out) {
            String data = text(record.data());
            assertTrue(data.endsWith("\n"), "ends on a line boundary");
            assertTrue(data.length() <= 5_000, "bytes " + data.length());
            assertTrue(data.split("\n").length <= 30, "lines " + data.split("\n").length);
            assertEquals(data.split("\n").length, record.samples());
            all.append(data);
        }
        assertEquals(allLines(lines), all.toString());
        assertTrue(out.size() < lines.size() / 10, out.size() + " records for " + lines.size() + " lines");
    }

    @Test
    void aLineLongerThanTheRecordLimitTravelsAlone() {
        records.setMode("packed");
        records.setMaxBytes(100);
        JsonLines lines = encoder.toJsonLines(request(3, 1)); // each line is longer than 100 bytes

        List<KinesisRecord> out = records.of(lines);

        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(line(lines, i), text(out.get(i).data()));
        }
    }

    @Test
    void packedByMetricPutsOnlyOneMetricInARecordUnderItsName() {
        records.setMode("packed");
        records.setPartitionKey("metric");
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < 90; i++) { // metrics interleaved: a, b, c, a, b, c, ...
            request.addTimeseries(series(List.of(label("__name__", "m" + (i % 3)), label("i", "" + i)), 1));
        }
        JsonLines lines = encoder.toJsonLines(request.build());

        List<KinesisRecord> out = records.of(lines);

        assertEquals(3, out.size());
        List<String> received = new ArrayList<>();
        for (KinesisRecord record : out) {
            for (String line : text(record.data()).split("\n")) {
                assertTrue(line.startsWith("{\"name\":\"" + record.partitionKey() + "\""), line);
                received.add(line + "\n");
            }
        }
        received.sort(null);
        List<String> sent = new ArrayList<>(List.of(allLines(lines).split("(?<=\n)")));
        sent.sort(null);
        assertEquals(sent, received);
    }

    @Test
    void gzipRecordsAreMembersThatTogetherInflateToEveryLine() throws IOException {
        records.setMode("packed");
        records.setGzip(true);
        records.setMaxBytes(10_000);
        JsonLines lines = encoder.toJsonLines(request(500, 1));

        List<KinesisRecord> out = records.of(lines);

        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        for (KinesisRecord record : out) {
            byte[] member = bytes(record.data());
            String inflated = gunzip(member);
            assertTrue(inflated.endsWith("\n") && inflated.length() <= 10_000);
            assertTrue(member.length < inflated.length() / 3, member.length + " of " + inflated.length());
            concatenated.write(member);
        }
        assertTrue(out.size() > 1);
        assertEquals(allLines(lines), gunzip(concatenated.toByteArray()), "what S3 holds: one valid .gz");
    }

    @Test
    void seriesHashIsFixedForGood() {
        assertEquals(0xcbf29ce484222325L, PartitionKeyStrategy.fnv1a(ByteBuffer.allocate(0)));
        assertEquals(0xaf63dc4c8601ec8cL, PartitionKeyStrategy.fnv1a(utf8("a")));
        assertNotEquals(PartitionKeyStrategy.fnv1a(utf8("ab")),
                PartitionKeyStrategy.fnv1a(utf8("ba")));
    }

    private static WriteRequest request(int seriesCount, int samplesPerSeries) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int s = 0; s < seriesCount; s++) {
            request.addTimeseries(series(List.of(label("__name__", "http_requests_total"),
                    label("instance", "host-" + s + ".example.com:9100"), label("job", "node")), samplesPerSeries));
        }
        return request.build();
    }

    private static TimeSeries series(List<Label> labels, int samples) {
        TimeSeries.Builder series = TimeSeries.newBuilder().addAllLabels(labels);
        for (int i = 0; i < samples; i++) {
            series.addSamples(Sample.newBuilder().setValue(i * 1.5).setTimestamp(1_700_000_000_000L + i));
        }
        return series.build();
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    private static String line(JsonLines lines, int i) {
        return text(lines.slice(i, i + 1));
    }

    private static String allLines(JsonLines lines) {
        return lines.size() == 0 ? "" : text(lines.slice(0, lines.size()));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    private static String text(ByteBuffer data) {
        return new String(bytes(data), StandardCharsets.UTF_8);
    }

    private static String gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
