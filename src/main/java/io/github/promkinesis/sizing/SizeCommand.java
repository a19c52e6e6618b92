package io.github.promkinesis.sizing;

import io.github.promkinesis.config.CommandOptions;
import io.github.promkinesis.config.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code size --series N --interval DURATION [--mode sample|packed|packed-gzip]}: what that many active series
 * scraped at that interval cost on a provisioned Kinesis stream and straight into Firehose, per record setting
 * the load harness measured (Sizing).
 */
public final class SizeCommand {

    static final String USAGE = "size --series N --interval DURATION [--mode sample|packed|packed-gzip]";

    private SizeCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("size: " + e.getMessage() + " (" + USAGE + ")");
            return 2;
        }
        double samplesPerSecond = options.samplesPerSecond();
        out.println(String.format(Locale.US, "%,d series every %d s: %,.0f samples/s", options.series,
                options.interval.toSeconds(), samplesPerSecond));
        out.println();
        out.println("Kinesis, provisioned (us-east-1: $0.015 per shard-hour, $0.014 per million PUT payload units,"
                + " 730 h a month; no headroom; a shard takes 1 MiB/s and 1,000 records/s):");
        out.println(String.format(Locale.US, "%-30s %10s %8s %14s %18s %11s %10s %13s", "mode", "records/s", "MiB/s",
                "shards", "PUT units a month", "shard cost", "PUT cost", "total a month"));
        for (Sizing.Measured measured : Sizing.measured(Sizing.Sink.KINESIS, options.mode)) {
            Sizing.StreamCost cost = new Sizing.StreamCost(measured, samplesPerSecond);
            out.println(String.format(Locale.US, "%-30s %,10.0f %,8.1f %14s %18s %11s %10s %13s", label(measured),
                    cost.recordsPerSecond(), cost.mibPerSecond(),
                    cost.shards() + (cost.recordBound() ? " (records)" : " (bytes)"), count(cost.putUnitsAMonth()),
                    dollars(cost.shardCost()), dollars(cost.putCost()), dollars(cost.total())));
        }
        out.println();
        out.println("Firehose Direct PUT (SINK=firehose; every record billed in 5 KB steps, $0.029 per GB):");
        out.println(String.format(Locale.US, "%-30s %10s %8s %18s %13s", "mode", "records/s", "MiB/s",
                "billed GB a month", "total a month"));
        for (Sizing.Measured measured : Sizing.measured(Sizing.Sink.FIREHOSE, options.mode)) {
            Sizing.FirehoseCost cost = new Sizing.FirehoseCost(measured, samplesPerSecond);
            out.println(String.format(Locale.US, "%-30s %,10.0f %,8.1f %,18.0f %13s", label(measured),
                    cost.recordsPerSecond(), cost.mibPerSecond(), cost.billedGbAMonth(), dollars(cost.total())));
        }
        return 0;
    }

    private static String label(Sizing.Measured measured) {
        return measured.mode() + ", " + measured.setting();
    }

    /** PUT units as docs/format.md writes them: billions or millions, one decimal. */
    private static String count(double units) {
        if (units >= 1e8) {
            return String.format(Locale.US, "%,.1f billion", units / 1e9);
        }
        return units >= 1e5 ? String.format(Locale.US, "%,.1f million", units / 1e6)
                : String.format(Locale.US, "%,.0f", units);
    }

    private static String dollars(double amount) {
        return String.format(Locale.US, "$%,.0f", amount);
    }

    record Options(long series, Duration interval, String mode) {

        double samplesPerSecond() {
            return series * 1000.0 / interval.toMillis();
        }

        static Options parse(List<String> args) {
            Long series = null;
            Duration interval = null;
            String mode = null;
            for (Map.Entry<String, String> pair : CommandOptions.pairs(args)) {
                String option = pair.getKey();
                String value = pair.getValue();
                switch (option) {
                    case "--series" -> series = series(value);
                    case "--interval" -> {
                        interval = Durations.parse(value);
                        if (interval == null || interval.isZero()) {
                            throw new IllegalArgumentException("--interval " + value + ": a duration such as 15s or 1m");
                        }
                    }
                    case "--mode" -> {
                        if (!Sizing.MODES.contains(value)) {
                            throw new IllegalArgumentException("--mode " + value + ": one of " + String.join(", ",
                                    Sizing.MODES));
                        }
                        mode = value;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (series == null || interval == null) {
                throw new IllegalArgumentException("--series and --interval are required");
            }
            return new Options(series, interval, mode);
        }

        private static long series(String value) {
            try {
                long series = Long.parseLong(value);
                if (series > 0) {
                    return series;
                }
            } catch (NumberFormatException e) {
                // said below, as for zero
            }
            throw new IllegalArgumentException("--series " + value + ": a whole number of active series, 1 or more");
        }
    }
}
