package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness itself, briefly: its figures are only worth printing if the generator's accepted samples,
 * the adapter's own metrics and the stand-in's counts agree.
 */
class LoadBenchmarkIT {

    @Test
    void oneRecordPerSampleIsCountedAlikeByAdapterAndStandIn() throws Exception {
        LoadBenchmark.Result result = LoadBenchmark.run(options(), settings("sample"));

        assertEquals(0, result.errors());
        assertTrue(result.samples() >= 2000, "samples " + result.samples());
        assertEquals(1000.0, result.recordsPer1000(), 0.001);
        assertEquals(1000.0, result.putUnitsPer1000(), 0.001);
        assertPlausible(result);
    }

    @Test
    void packedRecordsCostAFractionOfThePutUnits() throws Exception {
        LoadBenchmark.Result result = LoadBenchmark.run(options(), settings("packed"));

        assertEquals(0, result.errors());
        assertTrue(result.recordsPer1000() > 5 && result.recordsPer1000() < 30, result.toString());
        assertEquals(result.recordsPer1000(), result.putUnitsPer1000(), 0.001, "one unit per packed record");
        assertTrue(result.bytesPer1000() > 1000 * 200, result.toString());
        assertPlausible(result);
    }

    @Test
    void firehoseBillsPackedRecordsInFiveKilobyteStepsAsTheStandInCounts() throws Exception {
        Map<String, String> options = options();
        options.put("sink", "firehose");
        Map<String, String> settings = settings("packed");
        settings.remove("STREAM_NAME");
        LoadBenchmark.Result result = LoadBenchmark.run(options, settings);

        assertEquals(0, result.errors());
        assertTrue(result.recordsPer1000() > 5 && result.recordsPer1000() < 30, result.toString());
        // each packed record of up to 25,000 bytes is billed 5 steps of 5 KB (4 when shorter than 20,480)
        assertTrue(result.putUnitsPer1000() > 4 * result.recordsPer1000()
                && result.putUnitsPer1000() <= 5 * result.recordsPer1000(), result.toString());
        assertTrue(result.bytesPer1000() > 1000 * 200, result.toString());
        assertPlausible(result);
    }

    @Test
    void memoryLimitedModeRunsTheImageFlagsInTheDefaultContainerLimit() throws Exception {
        Map<String, String> options = options();
        options.put("memory", LoadBenchmark.CONTAINER_MEMORY);
        Map<String, String> settings = settings("packed");
        settings.put("JAVA_TOOL_OPTIONS", LoadBenchmark.jvmFlags(options));
        LoadBenchmark.Result result = LoadBenchmark.run(options, settings);

        assertEquals(0, result.errors());
        assertTrue(result.settings().contains("-XX:MaxRAM=512m") && result.settings().contains("-XX:+UseG1GC")
                && !result.settings().contains("SharedArchiveFile"), result.settings());
        assertTrue(result.peakRssMegabytes() <= 512, "within the container's limit: " + result);
        assertPlausible(result);
    }

    /**
     * The harness' own readings must be physically possible, or its figures mean nothing: the adapter's CPU per
     * sample between the stage floor measured by JMH (1.45 us) and far above anything seen (200 us); no more CPU
     * than the machine's cores had in the run; a resident size a JVM with -Xmx1g can have; latencies (p50, p99,
     * p99.9) in order.
     */
    private static void assertPlausible(LoadBenchmark.Result result) {
        String figures = result.toString();
        assertTrue(result.cpuMicrosPerSample() > 1.0 && result.cpuMicrosPerSample() < 200, figures);
        double cpuSecondsPerSecond = result.cpuMicrosPerSample() * result.samplesPerSecond() / 1e6;
        assertTrue(cpuSecondsPerSecond <= Runtime.getRuntime().availableProcessors() * 1.05, figures);
        assertTrue(result.peakRssMegabytes() > 64 && result.peakRssMegabytes() < 2048, figures);
        assertTrue(result.p50Millis() > 0 && result.p99Millis() >= result.p50Millis()
                && result.p999Millis() >= result.p99Millis(), figures);
    }

    private static Map<String, String> options() {
        return new HashMap<>(Map.of("sink", "standin", "seconds", "3", "warmup", "2", "connections", "2",
                "samples", "2000", "series-samples", "1", "labels", "10", "rate", "0", "protocol", "cbor"));
    }

    private static Map<String, String> settings(String mode) {
        return new HashMap<>(Map.of("STREAM_NAME", "bench", "AWS_REGION", Kinesalite.REGION,
                "KINESIS_RECORD_MODE", mode, "JAVA_TOOL_OPTIONS", "-Xmx1g"));
    }
}
