package io.github.promkinesis.it;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load run of the released jar: the sink (the success stand-in or kinesalite), the adapter configured like a
 * user would (any UPPER_CASE=value argument is its environment), the load generator on the same machine. Reports
 * samples/s, latency, the adapter's CPU time per sample (from /proc: survives noisy machines), its peak RSS,
 * and records, bytes and billed units per 1,000 samples (Kinesis' 25 KB PUT payload units, or with sink=firehose
 * the Firehose stand-in's 5 KB steps). See docs/benchmarks.md for the commands.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test
 *   -Dexec.mainClass=io.github.promkinesis.it.LoadBenchmark -Dexec.args="sink=standin seconds=30"</pre>
 */
public final class LoadBenchmark {

    /** The container's memory limit by default: deploy/kubernetes', the chart's and Camel K's. */
    static final String CONTAINER_MEMORY = "512m";

    private static final HttpClient SCRAPES = HttpClient.newHttpClient();

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // for this JVM's kinesalite client, as failsafe sets them for the integration tests
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.cborEnabled", "false");
        Map<String, String> options = new HashMap<>(Map.of("sink", "standin", "seconds", "30", "warmup", "15",
                "connections", "8", "samples", "2000", "series-samples", "1", "labels", "10", "rate", "0",
                "memory", CONTAINER_MEMORY));
        Map<String, String> settings = new HashMap<>(Map.of("STREAM_NAME", "bench", "AWS_REGION", Kinesalite.REGION,
                "MAX_CONCURRENT_REQUESTS", "64"));
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            (pair[0].equals(pair[0].toUpperCase(Locale.ROOT)) ? settings : options).put(pair[0], pair[1]);
        }
        settings.put("JAVA_TOOL_OPTIONS", jvmFlags(options));
        System.out.println(run(options, settings));
    }

    /**
     * The adapter's JVM flags: jvm= (comma-separated: exec.args splits on spaces), else the image's
     * JAVA_TOOL_OPTIONS from the Dockerfile in a container limited to memory= (a limit tells the JVM as MaxRAM).
     */
    static String jvmFlags(Map<String, String> options) throws IOException {
        if (options.containsKey("jvm")) {
            return options.get("jvm").replace(',', ' ');
        }
        Matcher image = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(Files.readString(Path.of("Dockerfile")));
        if (!image.find()) {
            throw new IllegalStateException("no JAVA_TOOL_OPTIONS in the Dockerfile");
        }
        // the class-data archive exists only in the image
        return image.group(1).replaceAll("-XX:SharedArchiveFile=\\S+", "").trim() + " -XX:MaxRAM=" + options.get("memory");
    }

    static Result run(Map<String, String> options, Map<String, String> settings) throws Exception {
        boolean standIn = options.get("sink").equals("standin");
        boolean firehose = options.get("sink").equals("firehose");
        long sinkLatency = Long.parseLong(options.getOrDefault("sink-latency-ms", "0"));
        try (KinesisStandIn stand = standIn ? new KinesisStandIn(sinkLatency) : null;
             FirehoseStandIn fire = firehose ? new FirehoseStandIn("bench", null, 0, 1) : null;
             Kinesalite kinesalite = standIn || firehose ? null : new Kinesalite()) {
            if (kinesalite != null) {
                kinesalite.createStream("bench", Integer.parseInt(options.getOrDefault("shards", "4")));
            }
            Map<String, String> env = new HashMap<>(settings);
            // kinesalite needs JSON (its CBOR is broken with SDK v2); the stand-in speaks CBOR too, the SDK's default against AWS
            env.put("CBOR_ENABLED", String.valueOf(standIn && options.getOrDefault("protocol", "cbor").equals("cbor")));
            if (firehose) {
                env.putAll(Map.of("SINK", "firehose", "FIREHOSE_STREAM_NAME", "bench", "FIREHOSE_ENDPOINT", fire.endpoint()));
            } else {
                env.put("KINESIS_ENDPOINT", standIn ? stand.endpoint() : kinesalite.endpoint());
            }
            // what the bill counts per record: Kinesis' 25 KB PUT payload units, Firehose's 5 KB steps
            LongSupplier billed = standIn ? stand.putUnits::sum : firehose ? fire.billedSteps::sum : () -> 0;
            long launched = System.nanoTime();
            try (Adapter adapter = new Adapter("LoadBenchmark", env)) {
                adapter.awaitReady(Duration.ofSeconds(60));
                double readySeconds = (System.nanoTime() - launched) / 1e9;
                LoadGenerator load = new LoadGenerator(adapter.uri("/receive"), integer(options, "samples"),
                        integer(options, "series-samples"), integer(options, "labels"), 64, 1);
                // scraped every 15 s as a Prometheus would, so the tail measured includes it and the JIT compiles
                // the HTTP path with GETs in its profile, as in a pod (a first GET after minutes of POSTs threw
                // away ~100 compiled methods and stalled requests for ~0.2 s, counted in a run's p99)
                ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
                scraper.scheduleAtFixedRate(() -> scrape(adapter), 0, 15, TimeUnit.SECONDS);
                long rate = Long.parseLong(options.get("rate"));
                Readings before;
                try {
                    before = load.run(integer(options, "connections"), Duration.ofSeconds(integer(options, "warmup")),
                            Duration.ofSeconds(integer(options, "seconds")), rate, () -> readings(adapter, billed));
                } finally {
                    scraper.shutdownNow();
                }
                Readings after = readings(adapter, billed);
                if (options.containsKey("timeline")) {
                    load.writeTimeline(Path.of(options.get("timeline")));
                }
                long samples = load.samples.sum();
                double perThousand = 1000.0 / Math.max(1, samples);
                env.remove("KINESIS_ENDPOINT");
                env.remove("FIREHOSE_ENDPOINT");
                return new Result(options.get("sink"), new TreeMap<>(env).toString(), readySeconds,
                        samples / ((after.nanos() - before.nanos()) / 1e9),
                        load.percentileMillis(0.5), load.percentileMillis(0.99), load.percentileMillis(0.999),
                        (double) (after.cpuMicros() - before.cpuMicros()) / samples,
                        peakRssMegabytes(adapter.pid()),
                        (after.sent().get("records") - before.sent().get("records")) * perThousand,
                        (after.sent().get("bytes") - before.sent().get("bytes")) * perThousand,
                        kinesalite == null ? (after.billedUnits() - before.billedUnits()) * perThousand : Double.NaN,
                        load.errors.sum(), samples);
            }
        }
    }

    record Result(String sink, String settings, double readySeconds, double samplesPerSecond, double p50Millis,
                  double p99Millis, double p999Millis, double cpuMicrosPerSample, long peakRssMegabytes, double recordsPer1000, double bytesPer1000,
                  double putUnitsPer1000, long errors, long samples) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "sink=%s settings=%s ready after %.1f s%n samples/s %.0f | p50 %.1f ms"
                    + " | p99 %.1f ms | p99.9 %.1f ms | CPU %.2f us/sample | peak RSS %d MB | per 1,000 samples: %.1f records, %.0f bytes, %.1f billed units"
                    + " | errors %d of %d samples", sink, settings, readySeconds, samplesPerSecond, p50Millis, p99Millis,
                    p999Millis, cpuMicrosPerSample, peakRssMegabytes, recordsPer1000, bytesPer1000, putUnitsPer1000, errors, samples);
        }
    }

    /** What the window's figures are differences of, read at its start (the mark) and at its end. */
    private record Readings(long nanos, long cpuMicros, long billedUnits, Map<String, Double> sent) {
    }

    private static Readings readings(Adapter adapter, LongSupplier billed) throws Exception {
        return new Readings(System.nanoTime(), cpuMicros(adapter.pid()), billed.getAsLong(), sent(adapter));
    }

    private static void scrape(Adapter adapter) {
        try {
            sent(adapter);
        } catch (Exception e) {
            System.err.println("LoadBenchmark: scraping the adapter failed: " + e);
        }
    }

    /** The adapter's own count of records and bytes Kinesis accepted, from its metrics endpoint. */
    private static Map<String, Double> sent(Adapter adapter) throws Exception {
        String metrics = SCRAPES.send(HttpRequest.newBuilder(adapter.uri("/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Map.of("records", metric(metrics, "prometheus_remote_kinesis_records_sent_total"),
                "bytes", metric(metrics, "prometheus_remote_kinesis_sent_bytes_total"));
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** User plus system CPU time of the process, from /proc/PID/stat (clock ticks of 10 ms). */
    static long cpuMicros(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 10_000;
    }

    static long peakRssMegabytes(long pid) throws IOException {
        Matcher m = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    /** What a process used, read from /proc while it ran; ended false when it was still running at the timeout. */
    record Usage(boolean ended, long peakRssMegabytes, long cpuMicros) {
    }

    /** Waits for the process to end, reading its usage every 100 ms: /proc forgets a process once it has exited. */
    static Usage watch(Process process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long peakRss = -1;
        long cpu = 0;
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                return new Usage(false, peakRss, cpu);
            }
            try {
                // the larger: an exited process not yet reaped has no memory figures left
                cpu = Math.max(cpu, cpuMicros(process.pid()));
                peakRss = Math.max(peakRss, peakRssMegabytes(process.pid()));
            } catch (IOException exited) {
                // gone between waitFor and the read
            }
        }
        return new Usage(true, peakRss, cpu);
    }

    private static int integer(Map<String, String> options, String key) {
        return Integer.parseInt(options.get(key));
    }
}
