package io.github.promkinesis.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.it.ReceiverStandIn;
import io.github.promkinesis.it.ReceiverStandIn.Received;
import io.github.promkinesis.it.RemoteWriteBodies;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import io.github.promkinesis.restore.RestoreCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore's routes (routes/restore/read-archive.yaml, send-remote-write.yaml) in the JVM, as `restore` runs
 * them, into a remote-write receiver on the loopback: an archive directory of the write route's JSON lines, out
 * of time order and holding a line twice, comes back as every sample once, each series in time order, each value
 * with its exact bits; a request the receiver refuses is counted in the summary and the exit code.
 */
class RestoreRouteTest {

    private static final Comparator<Received> BY_SERIES_AND_TIME =
            Comparator.comparing(Received::labels).thenComparingLong(Received::time);

    @Test
    void anArchiveComesBackAsEverySampleOnceInTimeOrderWithItsExactBits(@TempDir Path work) throws Exception {
        WriteRequest sent = withOddValues(RemoteWriteBodies.generated("restore", 20, 30, 23));

        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            Restored restored = restore(ArchiveDirectory.of(sent, work), receiver, work);

            assertEquals(0, restored.exit, restored.said);
            List<Received> received = List.copyOf(receiver.accepted);
            assertEquals(expected(sent), received.stream().sorted(BY_SERIES_AND_TIME).toList());
            Map<String, Long> lastTime = new HashMap<>();
            for (Received sample : received) {
                Long before = lastTime.put(sample.labels(), sample.time());
                assertTrue(before == null || before < sample.time(), "out of time order: " + sample);
            }
            assertTrue(received.stream().anyMatch(sample -> sample.valueBits() == JsonLineWriter.STALE_NAN_BITS),
                    "the staleness marker back");
            assertTrue(restored.summary().contains("samples " + received.size() + " written in "), restored.said);
        }
    }

    @Test
    void aRequestTheReceiverRefusesIsCountedAndTheExitCodeIs1(@TempDir Path work) throws Exception {
        WriteRequest sent = RemoteWriteBodies.generated("refused", 20, 30, 29);

        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            receiver.answersFirst.add(400);
            Restored restored = restore(ArchiveDirectory.of(sent, work), receiver, work);

            assertEquals(1, restored.exit, restored.said);
            int refused = expected(sent).size() - receiver.accepted.size();
            assertTrue(refused > 0 && receiver.accepted.size() > 0, restored.said);
            assertTrue(restored.summary().contains("samples " + receiver.accepted.size() + " written in ")
                    && restored.summary().contains(", " + refused + " refused by the receiver,"), restored.said);
        }
    }

    /** What restore said and its exit code. */
    private record Restored(int exit, String said) {

        /** Its last line. */
        String summary() {
            List<String> lines = said.lines().toList();
            String last = lines.get(lines.size() - 1);
            assertTrue(last.startsWith("restore: objects 2 (bad 0), "), said);
            return last;
        }
    }

    /** Requests of at most 50 samples on 2 shards: several requests, sent side by side. */
    private static Restored restore(Path archive, ReceiverStandIn receiver, Path work) throws Exception {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int exit = RestoreCommand.run("restore", List.of("--from", archive.toString(), "--to",
                        receiver.uri().toString(), "--max-samples-per-send", "50", "--concurrency", "2",
                        "--tmp-dir", work.toString()), RestoreSettings.read(SettingsSource.environmentOnly(Map.of())),
                new PrintStream(said, true, StandardCharsets.UTF_8));
        return new Restored(exit, said.toString(StandardCharsets.UTF_8));
    }

    /** The request with one more series, of the values whose bits a text format could lose. */
    private static WriteRequest withOddValues(WriteRequest request) {
        TimeSeries.Builder odd = TimeSeries.newBuilder().addLabels(RemoteWriteBodies.label("__name__", "odd_values"))
                .addLabels(RemoteWriteBodies.label("job", "restore"));
        double[] values = {Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS), Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 0.1};
        for (int i = 0; i < values.length; i++) {
            odd.addSamples(RemoteWriteBodies.sample(values[i], 1_795_000_000_000L + i * 15_000L));
        }
        return request.toBuilder().addTimeseries(odd).build();
    }

    /** Each sample of the request as the receiver keeps it, by series and time. */
    private static List<Received> expected(WriteRequest sent) {
        List<Received> samples = new ArrayList<>();
        for (TimeSeries series : sent.getTimeseriesList()) {
            String labels = series.getLabelsList().stream().map(label -> label.getName() + "=" + label.getValue())
                    .collect(Collectors.joining(","));
            for (Sample sample : series.getSamplesList()) {
                samples.add(new Received(labels, sample.getTimestamp(), Double.doubleToRawLongBits(sample.getValue())));
            }
        }
        samples.sort(BY_SERIES_AND_TIME);
        return samples;
    }
}
