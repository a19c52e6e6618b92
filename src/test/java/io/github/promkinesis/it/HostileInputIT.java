package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Seeded fuzzing and named hostile cases against the default limits: every answer is 2xx or 4xx, never 5xx,
 * the process stays up, and exactly the samples of the requests answered 2xx reach the stream.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = Long.getLong("fuzz.seed", 20261127L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 400);

    private static Deployment it;
    private static Endpoint adapter;

    @BeforeAll
    static void start() throws Exception {
        it = Deployment.inProcess("HostileInputIT", 1, Map.of("KINESIS_RECORD_MODE", "packed"));
        adapter = it.adapter;
    }

    @AfterAll
    static void stop() throws Exception {
        it.close();
    }

    /**
     * Checked in rounds of up to 1,000 bodies, the stream read back after each, so that a long run
     * ({@code -Dfuzz.cases=100000}, docs/delivery.md) needs no more memory than a short one; the heap left after
     * a GC at the end must be close to the one after the first round (the adapter runs in this JVM).
     */
    @Test
    void mutatedBodiesAreDeliveredOrRefusedWith4xxAndNothingRefusedReachesTheStream() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> seeds = List.of(RemoteWriteBodies.fixture(),
                RemoteWriteBodies.snappy(RemoteWriteBodies.generated("fuzz", 5, 20, SEED)));
        Map<Integer, Integer> statuses = new TreeMap<>();
        long heapAfterFirstRound = 0;
        long started = System.nanoTime();

        for (int done = 0; done < CASES; ) {
            List<String> mark = it.mark();
            List<String> expected = new ArrayList<>();
            long otherLines = 0; // histogram samples and exemplars
            for (int end = Math.min(CASES, done + 1000); done < end; done++) {
                byte[] body = mutate(seeds.get(random.nextInt(seeds.size())), random);
                HttpResponse<String> response = adapter.remoteWrite("/receive", body);
                statuses.merge(response.statusCode(), 1, Integer::sum);
                assertTrue(response.statusCode() == 204 || response.statusCode() / 100 == 4,
                        "case " + done + " (seed " + SEED + ") answered " + response.statusCode() + ": " + response.body());
                if (response.statusCode() == 204) {
                    WriteRequest delivered = RemoteWriteBodies.parse(body);
                    expected.addAll(SampleLines.sent(delivered));
                    otherLines += delivered.getTimeseriesList().stream()
                            .mapToLong(t -> t.getHistogramsCount() + t.getExemplarsCount()).sum();
                }
            }
            expected.sort(null);
            List<String> arrived = new ArrayList<>();
            long arrivedOther = readSince(mark, arrived);
            assertEquals(expected.size(), arrived.size(), "samples of the 204s up to case " + done);
            assertTrue(expected.equals(arrived), "exactly the samples of the 204s, up to case " + done);
            assertEquals(otherLines, arrivedOther, "histogram samples and exemplars of the 204s up to case " + done);
            if (heapAfterFirstRound == 0) {
                heapAfterFirstRound = heapAfterGc();
            }
        }

        long heapAtEnd = heapAfterGc();
        System.out.printf("HostileInputIT: %d mutated bodies in %.0f s, answers %s; heap after GC %d MB after the"
                + " first round, %d MB at the end%n", CASES, (System.nanoTime() - started) / 1e9, statuses,
                heapAfterFirstRound >> 20, heapAtEnd >> 20);
        assertTrue(statuses.getOrDefault(204, 0) > 0 && statuses.getOrDefault(400, 0) > 0, statuses.toString());
        assertTrue(heapAtEnd < heapAfterFirstRound + (64 << 20), "memory flat: " + (heapAfterFirstRound >> 20)
                + " MB, then " + (heapAtEnd >> 20) + " MB");
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The stream's lines since the mark: packed records, so that a long run stays within kinesalite's pace. */
    private static List<String> arrivedSince(List<String> mark) {
        return SampleLines.receivedPacked(it.stream.read(mark), false, 500);
    }

    /** The float samples since the mark into {@code samples}, sorted; the count of the other lines. */
    private static long readSince(List<String> mark, List<String> samples) throws IOException {
        long other = 0;
        for (Record record : it.stream.read(mark)) {
            for (String line : record.data().asUtf8String().split("\n")) {
                if (JSON.readTree(line).has("value")) {
                    samples.add(SampleLines.parse(line));
                } else {
                    other++;
                }
            }
        }
        samples.sort(null);
        return other;
    }

    @Test
    void aMillionTinySeriesAreRefused413AndTheProcessLivesOn() throws Exception {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < 1_000_000; i++) {
            request.addTimeseries(TimeSeries.newBuilder().addLabels(label("__name__", "t")).addSamples(sample(i, i)));
        }

        HttpResponse<String> response = adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request.build()));

        // over MAX_BODY_BYTES once compressed, and over MAX_SAMPLES_PER_REQUEST: refused either way
        assertEquals(413, response.statusCode(), response.body());
        assertDeliversAfterwards();
    }

    @Test
    void labelValuesOfAMegabyteAreDeliveredWhenTheirLineFitsARecord() throws Exception {
        WriteRequest request = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                .addLabels(label("__name__", "big")).addLabels(label("blob", "é".repeat(400_000)))
                .addSamples(sample(1, 1))).build();
        List<String> mark = it.mark();

        assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode());
        assertEquals(SampleLines.sent(request), arrivedSince(mark));
    }

    private static void assertDeliversAfterwards() throws Exception {
        List<String> mark = it.mark();
        WriteRequest after = RemoteWriteBodies.generated("after", 2, 2, 1);
        assertEquals(204, adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(after)).statusCode());
        assertEquals(SampleLines.sent(after), arrivedSince(mark));
    }

    /** One mutation, at the snappy layer or inside the protobuf: flips, cuts, insertions, repeats. */
    private static byte[] mutate(byte[] body, Random random) throws IOException {
        boolean insideProtobuf = random.nextBoolean();
        byte[] bytes = insideProtobuf ? Snappy.uncompress(body) : body.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                int at = random.nextInt(bytes.length);
                byte[] noise = new byte[1 + random.nextInt(16)];
                random.nextBytes(noise);
                byte[] grown = new byte[bytes.length + noise.length];
                System.arraycopy(bytes, 0, grown, 0, at);
                System.arraycopy(noise, 0, grown, at, noise.length);
                System.arraycopy(bytes, at, grown, at + noise.length, bytes.length - at);
                bytes = grown;
            }
            case 3 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            default -> {
                byte[] twice = Arrays.copyOf(bytes, bytes.length * 2);
                System.arraycopy(bytes, 0, twice, bytes.length, bytes.length);
                bytes = twice;
            }
        }
        return insideProtobuf ? Snappy.compress(bytes) : bytes;
    }
}
