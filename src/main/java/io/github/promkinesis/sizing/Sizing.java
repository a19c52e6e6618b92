package io.github.promkinesis.sizing;

import java.util.List;

/**
 * What a number of samples a second costs in each record mode, on a Kinesis stream (provisioned) and straight
 * into Firehose (Direct PUT). The per-1,000-sample figures are the only ones measured; everything else is
 * arithmetic on them and on us-east-1 list prices. docs/format.md's "What records cost" tables show the same
 * numbers, and SizingDocsTest keeps them equal to what this computes.
 */
public final class Sizing {

    public enum Sink { KINESIS, FIREHOSE }

    /**
     * One record setting as the load harness measured it, per 1,000 samples: records, bytes, and billed units
     * (25 KB PUT payload units on Kinesis, 5 KB steps on Firehose).
     */
    public record Measured(Sink sink, String mode, String setting, double records, double bytes, double units) {
    }

    /**
     * Measured by LoadBenchmark (src/test/java/io/github/promkinesis/it/, docs/benchmarks.md "Load runs") against
     * the stand-in Kinesis and the stand-in Firehose: Prometheus-shaped requests of 2,000 samples with 10
     * labels, ~385-byte lines. In the order of docs/format.md's tables.
     */
    public static final List<Measured> MEASURED = List.of(
            new Measured(Sink.KINESIS, "sample", "one line per record", 1000, 385_139, 1000),
            new Measured(Sink.KINESIS, "packed", "25,000 bytes", 16.0, 385_140, 16.0),
            new Measured(Sink.KINESIS, "packed-gzip", "25,000 bytes", 16.0, 61_196, 16.0),
            new Measured(Sink.KINESIS, "packed-gzip", "200,000 bytes", 2.0, 57_974, 4.0),
            new Measured(Sink.FIREHOSE, "sample", "one line per record", 1000, 385_139, 1000),
            new Measured(Sink.FIREHOSE, "packed", "25,000 bytes", 16.0, 385_139, 78.0),
            new Measured(Sink.FIREHOSE, "packed", "1,024,000 bytes", 0.5, 385_139, 75.5),
            new Measured(Sink.FIREHOSE, "packed-gzip", "200,000 bytes", 2.0, 57_973, 12.0));

    public static final List<String> MODES = List.of("sample", "packed", "packed-gzip");

    static final double HOURS_A_MONTH = 730;
    static final double SHARD_HOUR = 0.015;
    static final double PER_MILLION_PUT_UNITS = 0.014;
    /** Firehose Direct PUT ingestion, first 500 TB a month. */
    static final double FIREHOSE_PER_GB = 0.029;
    static final double MIB = 1 << 20;
    /** A provisioned shard takes 1 MiB/s and this many records a second. */
    static final double SHARD_RECORDS_PER_SECOND = 1000;
    static final double FIREHOSE_STEP_BYTES = 5 * 1024;
    static final double GB = 1 << 30;
    private static final double SECONDS_A_MONTH = HOURS_A_MONTH * 3600;

    private Sizing() {
    }

    /** The measured settings of one sink, of one mode or of all when mode is null. */
    public static List<Measured> measured(Sink sink, String mode) {
        return MEASURED.stream().filter(m -> m.sink() == sink && (mode == null || m.mode().equals(mode))).toList();
    }

    /** A Kinesis stream in provisioned mode, with no headroom. */
    public record StreamCost(Measured measured, double samplesPerSecond) {

        public double recordsPerSecond() {
            return samplesPerSecond * measured.records() / 1000;
        }

        public double mibPerSecond() {
            return samplesPerSecond * measured.bytes() / 1000 / MIB;
        }

        public boolean recordBound() {
            return recordShards() > byteShards();
        }

        public long shards() {
            return Math.max(1, Math.max(recordShards(), byteShards()));
        }

        public double putUnitsAMonth() {
            return samplesPerSecond * measured.units() / 1000 * SECONDS_A_MONTH;
        }

        public double shardCost() {
            return shards() * SHARD_HOUR * HOURS_A_MONTH;
        }

        public double putCost() {
            return putUnitsAMonth() / 1e6 * PER_MILLION_PUT_UNITS;
        }

        public double total() {
            return shardCost() + putCost();
        }

        private long recordShards() {
            return (long) Math.ceil(recordsPerSecond() / SHARD_RECORDS_PER_SECOND);
        }

        private long byteShards() {
            return (long) Math.ceil(mibPerSecond());
        }
    }

    /** Straight into Firehose: ingestion billed per GB, every record rounded up to 5 KB. */
    public record FirehoseCost(Measured measured, double samplesPerSecond) {

        public double recordsPerSecond() {
            return samplesPerSecond * measured.records() / 1000;
        }

        public double mibPerSecond() {
            return samplesPerSecond * measured.bytes() / 1000 / MIB;
        }

        public double billedGbAMonth() {
            return samplesPerSecond * measured.units() / 1000 * SECONDS_A_MONTH * FIREHOSE_STEP_BYTES / GB;
        }

        public double total() {
            return billedGbAMonth() * FIREHOSE_PER_GB;
        }
    }
}
