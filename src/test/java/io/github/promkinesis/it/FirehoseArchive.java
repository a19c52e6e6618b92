package io.github.promkinesis.it;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.kinesis.KinesisRecord;
import io.github.promkinesis.kinesis.KinesisRecords;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * An archive laid out as Amazon Data Firehose writes one from the Kinesis stream the adapter fills, the same for
 * the same seed and settings (the end time among them), with what makes a real one hard to restore (BRIEF.md,
 * "Reading the archive back"):
 * <ul>
 * <li>a fleet as Prometheus scrapes it: node-exporter hosts and application pods with counters, gauges and
 *     classic histograms ({@code le}), about ten labels a series; pods replaced mid-span (their series end with
 *     a staleness marker, the new pod's begin), a series that comes and goes, a host joining half-way; values
 *     of every kind (real NaN, ±Inf, -0.0, subnormal, huge, integral); with {@link #restarts}, pods whose
 *     container restarts in place (same series, counters and histograms back to zero: counter resets);
 * <li>sent as Prometheus' remote write sends it (a request when 2,000 samples are pending or 5 s after the
 *     first, a TimeSeries per sample, every series advancing together), made into lines and packed records by
 *     the adapter's own classes, each record on a random shard;
 * <li>some records stored twice (a retried PutRecords), and a quarter of an hour sent again 75 minutes later
 *     (Prometheus replaying its WAL after an outage);
 * <li>per shard, objects cut by Firehose's buffer interval or size and named by the arrival of their oldest
 *     record; one shard read two hours late for a while, then catching up;
 * <li>objects of gzip records (multi-member gzip), of plain records (plain, or gzipped whole by Firehose), or
 *     Parquet from Firehose's record format conversion.
 * </ul>
 * What it returns is the ground truth: every distinct sample sent, by series.
 */
final class FirehoseArchive {

    /** Firehose's record format conversion of an object's lines into a Parquet file: FirehoseParquet::write. */
    @FunctionalInterface
    interface ParquetConversion {
        void write(List<String> jsonLines, Path file) throws IOException;
    }

    /** How an object's bytes are made, told apart by the restore from the bytes alone. */
    enum ObjectKind { GZIP_MEMBERS, PLAIN, GZIP, PARQUET }

    private static final String STREAM = "metrics-archive";
    /** Prometheus' queue_config defaults: max_samples_per_send, batch_send_deadline. */
    private static final int MAX_SAMPLES_PER_SEND = 2000;
    private static final long BATCH_SEND_DEADLINE_MS = 5_000;
    /** From Prometheus' send to the records being in the stream, and from there to Firehose reading them. */
    private static final long PUT_MS = 50;
    private static final long READ_MS = 1_000;
    /** Firehose's default buffer size. */
    private static final long BUFFER_BYTES = 5L << 20;
    /** How much faster than the stream is written a lagging shard's reader catches up. */
    private static final int CATCH_UP = 10;
    private static final long RESEND_WINDOW_MS = Duration.ofMinutes(15).toMillis();
    private static final long RESEND_AFTER_MS = Duration.ofMinutes(75).toMillis();
    private static final double STALE = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
    private static final DateTimeFormatter HOUR_PREFIX = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    private final long seed;
    private int seriesCount = 300;
    private long intervalMs = 15_000;
    private long spanMs = Duration.ofHours(6).toMillis();
    private long endMs = System.currentTimeMillis() - Duration.ofMinutes(3).toMillis();
    private int shards = 4;
    private boolean truth = true;
    private int laggingShard = 1;
    private long lagMs = Duration.ofHours(2).toMillis();
    private double duplicateFraction = 0.02;
    private double plainRecordShare = 0.3;
    private long minBufferMs = 60_000;
    private long maxBufferMs = 300_000;
    private double parquetShare = 0;
    private ParquetConversion parquet;
    private boolean restarts;

    FirehoseArchive(long seed) {
        this.seed = seed;
    }

    /** Series scraped at the start (default 300); pods replaced and a host joining add more. */
    FirehoseArchive series(int count) {
        seriesCount = count;
        return this;
    }

    /** Scrape interval, default 15 s. */
    FirehoseArchive interval(Duration interval) {
        intervalMs = interval.toMillis();
        return this;
    }

    /** Data time covered, ending at {@link #end}; default 6 hours. */
    FirehoseArchive span(Duration span) {
        spanMs = span.toMillis();
        return this;
    }

    /** The last data time, Unix ms; default now minus 3 minutes. */
    FirehoseArchive end(long endMillis) {
        endMs = endMillis;
        return this;
    }

    /** Default 4 shards, shard 1 read 2 hours late from a quarter into the span. */
    FirehoseArchive shards(int count, int lagging, Duration lag) {
        shards = count;
        laggingShard = lagging;
        lagMs = lag.toMillis();
        return this;
    }

    /** The share of records stored twice, default 0.02. */
    FirehoseArchive duplicates(double fraction) {
        duplicateFraction = fraction;
        return this;
    }

    /** The share of the span in which the adapter wrote plain records instead of gzip ones, default 0.3. */
    /** Samples counted, not kept: a benchmark's day of hundreds of millions of them, whose truth no one reads. */
    FirehoseArchive withoutTruth() {
        truth = false;
        return this;
    }

    FirehoseArchive plainRecords(double share) {
        plainRecordShare = share;
        return this;
    }

    /** Firehose's buffer interval, drawn per object; default 60 to 300 s. */
    FirehoseArchive buffer(Duration min, Duration max) {
        minBufferMs = min.toMillis();
        maxBufferMs = max.toMillis();
        return this;
    }

    /** The share of plain-record objects Firehose converts into Parquet with {@code conversion}; default none. */
    FirehoseArchive parquet(double share, ParquetConversion conversion) {
        parquetShare = share;
        parquet = conversion;
        return this;
    }

    /**
     * Every pod that runs the whole span has its container restarted once, in place, at a round drawn from the
     * middle 80% of the span: its series go on under the same labels, its counters and histograms start again
     * from zero (a counter reset as PromQL's rate and resets() see one). Default off; the draws come from their
     * own random generator, so the rest of the archive is the same with it on or off.
     */
    FirehoseArchive restarts(boolean on) {
        restarts = on;
        return this;
    }

    /** Writes the objects under directory (YYYY/MM/DD/HH/...) and returns the ground truth. */
    Written write(Path directory) throws IOException {
        long start = endMs - spanMs;
        Random values = new Random(seed);
        List<Target> fleet = fleet(values, start);
        Firehose firehose = new Firehose(directory, start, new Random(seed + 1));
        RemoteWrite remoteWrite = new RemoteWrite(firehose, start, new Random(seed + 2));
        List<Series> everySeries = new ArrayList<>();
        fleet.forEach(target -> everySeries.addAll(target.series));
        everySeries.forEach(series -> series.kept = truth);
        int rounds = (int) (spanMs / intervalMs) + 1;
        for (int round = 0; round <= rounds; round++) {
            for (Target target : fleet) {
                long time = start + round * intervalMs + target.offsetMs;
                if (time <= endMs) {
                    target.scrape(round, time, values, remoteWrite);
                }
            }
        }
        remoteWrite.send(endMs + BATCH_SEND_DEADLINE_MS);
        firehose.deliverUpTo(Long.MAX_VALUE);
        firehose.flushAll();
        return new Written(directory, start, endMs, everySeries, remoteWrite.lines, remoteWrite.records,
                firehose.duplicated, firehose.duplicatesInALaterObject, remoteWrite.resent, firehose.objectsByKind,
                firehose.bytes);
    }

    /** Where Firehose puts an object whose oldest record arrived then: that hour's prefix, named by that second. */
    static Path objectPath(Path directory, Instant arrived, UUID uuid, String extension) throws IOException {
        return Files.createDirectories(directory.resolve(HOUR_PREFIX.format(arrived)))
                .resolve(STREAM + "-1-" + KEY_TIME.format(arrived) + "-" + uuid + extension);
    }

    /** One sample of the truth. */
    record Point(Series series, long time, long valueBits) {

        boolean stale() {
            return valueBits == JsonLineWriter.STALE_NAN_BITS;
        }

        /** As ReceiverStandIn keeps it. */
        ReceiverStandIn.Received received() {
            return new ReceiverStandIn.Received(series.text, time, valueBits);
        }

        /** As Prometheus' API gives it back (Prometheus.rawSamples). */
        String sampleLine() {
            return SampleLines.of(series.labels, time, Double.longBitsToDouble(valueBits));
        }
    }

    /** One series: its labels sorted by name (as remote write sends them) and every sample it had, in time order. */
    static final class Series {
        final Map<String, String> labels;
        final List<Label> protobufLabels;
        /** The labels as ReceiverStandIn writes them. */
        final String text;
        private final Values values;
        private final IntPredicate presentAt;
        private boolean present;
        private long[] times = new long[64];
        private long[] bits = new long[64];
        private int count;
        private boolean kept = true;
        private int staleMarkers;

        Series(Map<String, String> sortedLabels, Values values, IntPredicate presentAt) {
            this.labels = sortedLabels;
            this.protobufLabels = sortedLabels.entrySet().stream()
                    .map(l -> Label.newBuilder().setName(l.getKey()).setValue(l.getValue()).build()).toList();
            this.text = String.join(",", sortedLabels.entrySet().stream().map(l -> l.getKey() + "=" + l.getValue())
                    .toList());
            this.values = values;
            this.presentAt = presentAt;
        }

        /** A PromQL selector of exactly this series. */
        String selector() {
            return "{" + String.join(",", labels.entrySet().stream().map(l -> l.getKey() + "=\""
                    + l.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"")
                    .toList()) + "}";
        }

        Stream<Point> points() {
            if (!kept) {
                throw new IllegalStateException("written withoutTruth()");
            }
            return IntStream.range(0, count).mapToObj(i -> new Point(this, times[i], bits[i]));
        }

        private void add(long time, double value) {
            if (Double.doubleToRawLongBits(value) == JsonLineWriter.STALE_NAN_BITS) {
                staleMarkers++;
            }
            if (!kept) {
                count++;
                return;
            }
            if (count == times.length) {
                times = Arrays.copyOf(times, count * 2);
                bits = Arrays.copyOf(bits, count * 2);
            }
            times[count] = time;
            bits[count++] = Double.doubleToRawLongBits(value);
        }
    }

    /** The archive written: where, and the ground truth with the figures of what it holds. */
    static final class Written {
        final Path directory;
        /** First and last possible data time. */
        final long start;
        final long end;
        final List<Series> series;
        /** Lines in the archive (copies included), records sent (copies not included), records stored twice. */
        final long lines;
        final long records;
        final long duplicatedRecords;
        /** Copies that landed in another object than their original. */
        final long duplicatesInALaterObject;
        final long resentSamples;
        final Map<ObjectKind, Integer> objectsByKind;
        final long bytes;

        private Written(Path directory, long start, long end, List<Series> series, long lines, long records,
                        long duplicatedRecords, long duplicatesInALaterObject, long resentSamples,
                        Map<ObjectKind, Integer> objectsByKind, long bytes) {
            this.directory = directory;
            this.start = start;
            this.end = end;
            this.series = series;
            this.lines = lines;
            this.records = records;
            this.duplicatedRecords = duplicatedRecords;
            this.duplicatesInALaterObject = duplicatesInALaterObject;
            this.resentSamples = resentSamples;
            this.objectsByKind = objectsByKind;
            this.bytes = bytes;
        }

        Stream<Point> points() {
            return series.stream().flatMap(Series::points);
        }

        /** Distinct samples sent, staleness markers included. */
        long samples() {
            return series.stream().mapToLong(s -> s.count).sum();
        }

        int objects() {
            return objectsByKind.values().stream().mapToInt(Integer::intValue).sum();
        }

        Set<ReceiverStandIn.Received> received(Predicate<Point> kept) {
            Set<ReceiverStandIn.Received> samples = new HashSet<>();
            points().filter(kept).forEach(p -> samples.add(p.received()));
            return samples;
        }

        Set<String> sampleLines(Predicate<Point> kept) {
            Set<String> samples = new HashSet<>();
            points().filter(kept).forEach(p -> samples.add(p.sampleLine()));
            return samples;
        }

        /** Every sample's {@link ReceiverStandIn.Received#fingerprint}, sorted. */
        long[] fingerprints() {
            long[] all = points().mapToLong(p -> p.received().fingerprint()).toArray();
            Arrays.sort(all);
            return all;
        }

        void putInto(S3rver s3, String bucket, String prefix) throws IOException {
            s3.putDirectory(bucket, prefix, directory);
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d series, %d samples (%d staleness markers) in %d lines"
                            + " of %d records (%d stored twice, %d of them in a later object; %d samples sent again"
                            + " later), %d objects %s, %.1f MB", series.size(), samples(),
                    series.stream().mapToLong(s -> s.staleMarkers).sum(), lines, records, duplicatedRecords, duplicatesInALaterObject,
                    resentSamples, objects(), objectsByKind, bytes / 1e6);
        }
    }

    /** A series' next value at a scrape. */
    @FunctionalInterface
    private interface Values {
        double next(Random random, long time);
    }

    /** One scrape target: its series, scraped at its own offset in the interval, from a first to a last round. */
    private static final class Target {
        final long offsetMs;
        final int firstRound;
        int lastRound = Integer.MAX_VALUE;
        /** The round at whose scrape the target's process has just restarted ({@link #restarts}); -1: never. */
        int restartRound = -1;
        final List<Series> series = new ArrayList<>();
        /** What a restart sets back to zero: the target's counters and histograms. */
        final List<Runnable> restart = new ArrayList<>();

        Target(long offsetMs, int firstRound) {
            this.offsetMs = offsetMs;
            this.firstRound = firstRound;
        }

        /** As Prometheus' scrape loop: a series missing from a scrape, or the target gone, gets a staleness marker. */
        void scrape(int round, long time, Random random, RemoteWrite out) throws IOException {
            if (round < firstRound || round > lastRound + 1L) {
                return;
            }
            if (round == restartRound) {
                restart.forEach(Runnable::run);
            }
            for (Series s : series) {
                boolean present = round <= lastRound && s.presentAt.test(round);
                if (present || s.present) {
                    double value = present ? s.values.next(random, time) : STALE;
                    s.add(time, value);
                    out.add(new Scraped(s, time, value));
                }
                s.present = present;
            }
        }
    }

    /** Node-exporter hosts and application pods, alternating, until {@code seriesCount}; then churn. */
    private List<Target> fleet(Random random, long start) {
        List<Target> targets = new ArrayList<>();
        int live = 0;
        int hosts = 0;
        int pods = 0;
        while (live < seriesCount) {
            Target target = targets.size() % 2 == 0 ? host(random, hosts++, 0) : pod(random, pods++, 0);
            if (live + target.series.size() > seriesCount) {
                target.series.subList(seriesCount - live, target.series.size()).clear();
            }
            live += target.series.size();
            targets.add(target);
        }
        int rounds = (int) (spanMs / intervalMs);
        for (Target target : List.copyOf(targets)) {
            if (target.series.get(0).labels.get("job").equals("api") && random.nextBoolean()) {
                // a rollout: the pod is gone from one round on, its replacement scraped two rounds later
                target.lastRound = rounds / 10 + random.nextInt(rounds * 8 / 10);
                targets.add(pod(random, pods++, target.lastRound + 2));
            }
        }
        targets.add(host(random, hosts, rounds / 2));
        if (restarts) {
            Random restartAt = new Random(seed + 3);
            for (Target target : targets) {
                if (target.series.get(0).labels.get("job").equals("api") && target.firstRound == 0
                        && target.lastRound == Integer.MAX_VALUE) {
                    target.restartRound = rounds / 10 + restartAt.nextInt(rounds * 8 / 10);
                }
            }
        }
        targets.sort(Comparator.comparingLong(t -> t.offsetMs));
        return targets;
    }

    private static final String[] CPU_MODES = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
    private static final String[] BUCKETS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5",
        "10", "+Inf"};
    /** Values a gauge may hold that a JSON number cannot, or that only an exact parser brings back. */
    private static final double[] EXTREMES = {-0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NaN, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e-300, -2.5e-310, 1.2345678901234567E18,
        0.1 + 0.2, 9007199254740991.0, 42.0};

    private Target host(Random random, int index, int firstRound) {
        Target host = new Target(random.nextInt((int) intervalMs), firstRound);
        Map<String, String> base = Map.of("az", "eu-west-1" + "abc".charAt(index % 3), "cluster", "prod-eu-west-1",
                "env", "prod", "instance", "10.0." + (index / 200) + "." + (index % 200 + 10) + ":9100", "job", "node",
                "region", "eu-west-1", "team", "platform");
        double uptime = random.nextInt(1_000_000);
        for (int cpu = 0; cpu < 2; cpu++) {
            for (String mode : CPU_MODES) {
                double share = mode.equals("idle") ? 0.8 : 0.03;
                host.series.add(series(base, Map.of("__name__", "node_cpu_seconds_total", "cpu", "" + cpu, "mode",
                        mode), counter(uptime * share, intervalMs / 1000.0 * share, 100, host)));
            }
        }
        host.series.add(series(base, Map.of("__name__", "node_load1"), gauge(0.5, 1.0, 100)));
        host.series.add(series(base, Map.of("__name__", "node_memory_MemAvailable_bytes"),
                gauge(8e9, 4e9, 1.0 / 4096)));
        host.series.add(series(base, Map.of("__name__", "node_memory_MemTotal_bytes"), (r, t) -> 16_481_337_344.0));
        host.series.add(series(base, Map.of("__name__", "node_filesystem_avail_bytes", "device", "/dev/nvme0n1p1",
                "fstype", "ext4", "mountpoint", "/"), gauge(2e11, 1e9, 1.0 / 4096)));
        host.series.add(series(base, Map.of("__name__", "node_network_receive_bytes_total", "device", "eth0"),
                counter(uptime * 1e6, 2e7, 1, host)));
        host.series.add(series(base, Map.of("__name__", "node_boot_time_seconds"),
                (r, t) -> Math.floor((endMs - spanMs) / 1000.0 - uptime)));
        host.series.add(series(base, Map.of("__name__", "node_time_seconds"), (r, t) -> t / 1000.0));
        host.series.add(series(base, Map.of("__name__", "node_hwmon_temp_celsius", "chip", "platform_coretemp_0",
                "sensor", "temp1"), gauge(50, 20, 1)));
        host.series.add(series(base, Map.of("__name__", "node_uname_info", "nodename", "ip-10-0-" + index
                + ".eu-west-1.compute.internal", "release", "6.1.0-18-amd64", "sysname", "Linux"), (r, t) -> 1.0));
        return host;
    }

    private Target pod(Random random, int index, int firstRound) {
        Target pod = new Target(random.nextInt((int) intervalMs), firstRound);
        String name = "api-7d9f8b6c4-" + Long.toString(36L * 36 * 36 * 36 + random.nextInt(50_000_000), 36);
        Map<String, String> base = Map.of("az", "eu-west-1" + "abc".charAt(index % 3), "cluster", "prod-eu-west-1",
                "env", "prod", "instance", "10.1." + (index / 200) + "." + (index % 200 + 10) + ":8080", "job", "api",
                "namespace", "shop", "pod", name, "region", "eu-west-1", "team", "shop");
        for (String handler : List.of("/api/orders", "/api/cart")) {
            HistogramState histogram = new HistogramState();
            pod.restart.add(histogram::reset);
            Map<String, String> route = Map.of("handler", handler, "method", "GET");
            for (int i = 0; i < BUCKETS.length; i++) {
                int bucket = i;
                pod.series.add(series(base, with(route, "__name__", "http_request_duration_seconds_bucket", "le",
                        BUCKETS[i]), (r, t) -> histogram.at(r, t).cumulative(bucket)));
            }
            pod.series.add(series(base, with(route, "__name__", "http_request_duration_seconds_sum"),
                    (r, t) -> histogram.at(r, t).sum));
            pod.series.add(series(base, with(route, "__name__", "http_request_duration_seconds_count"),
                    (r, t) -> histogram.at(r, t).cumulative(BUCKETS.length - 1)));
            pod.series.add(series(base, with(route, "__name__", "http_requests_total", "code", "200"),
                    counter(0, 40, 1, pod)));
        }
        // errors come and go: the series is missing from the scrapes between, so it goes stale each time
        pod.series.add(new Series(sorted(base, Map.of("__name__", "http_requests_total", "code", "500", "handler",
                "/api/orders", "method", "GET")), counter(0, 2, 1, pod), round -> round / 40 % 3 != 1));
        pod.series.add(series(base, Map.of("__name__", "process_resident_memory_bytes"), gauge(3e8, 1e8, 1)));
        pod.series.add(series(base, Map.of("__name__", "process_cpu_seconds_total"), counter(0, 1.5, 100, pod)));
        for (String quantile : List.of("0.5", "0.99")) {
            // a summary without observations in its window says NaN: a real NaN, not a staleness marker
            pod.series.add(series(base, Map.of("__name__", "rpc_duration_seconds", "quantile", quantile),
                    (r, t) -> r.nextInt(4) == 0 ? Double.NaN : r.nextDouble() * 0.2));
        }
        // no lookups: 0/0, NaN. The lines carry a real NaN as "NaN", which reads back as Java's one NaN, so that
        // is the one sent (Java's 0.0/0.0 has the sign bit set; Prometheus' own NaN has a payload bit set)
        pod.series.add(series(base, Map.of("__name__", "cache_hit_ratio"), (r, t) -> {
            int lookups = r.nextInt(3) == 0 ? 0 : r.nextInt(1000);
            return lookups == 0 ? Double.NaN : (double) r.nextInt(lookups + 1) / lookups;
        }));
        pod.series.add(series(base, Map.of("__name__", "container_memory_limit_bytes"),
                (r, t) -> Double.POSITIVE_INFINITY));
        pod.series.add(series(base, Map.of("__name__", "app_extreme_values"),
                (r, t) -> EXTREMES[r.nextInt(EXTREMES.length)]));
        pod.series.add(series(base, Map.of("__name__", "app_tiny_probability"),
                (r, t) -> Double.MIN_VALUE * (1 + r.nextInt(1 << 20)) * (r.nextBoolean() ? 1 : 1e290)));
        pod.series.add(series(base, Map.of("__name__", "app_build_info", "branch", "feature/naïve-größe", "version",
                "2.3." + index), (r, t) -> 1.0));
        return pod;
    }

    private static Series series(Map<String, String> base, Map<String, String> own, Values values) {
        return new Series(sorted(base, own), values, round -> true);
    }

    private static Map<String, String> sorted(Map<String, String> base, Map<String, String> own) {
        Map<String, String> all = new java.util.TreeMap<>(base);
        all.putAll(own);
        return new LinkedHashMap<>(all);
    }

    private static Map<String, String> with(Map<String, String> labels, String... more) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }

    /**
     * A counter from {@code first}, growing about {@code perScrape}, with {@code resolution} steps per unit; back
     * to zero when {@code target} restarts.
     */
    private static Values counter(double first, double perScrape, double resolution, Target target) {
        double[] total = {first};
        target.restart.add(() -> total[0] = 0);
        return (r, t) -> {
            total[0] += perScrape * 2 * r.nextDouble();
            return Math.floor(total[0] * resolution) / resolution;
        };
    }

    /** A gauge around {@code middle}, {@code range} wide, with {@code resolution} steps per unit. */
    private static Values gauge(double middle, double range, double resolution) {
        return (r, t) -> Math.rint((middle + range * (r.nextDouble() - 0.5)) * resolution) / resolution;
    }

    /** A classic histogram's buckets, sum and count, observed once a scrape whichever of its series asks first. */
    private static final class HistogramState {
        private static final double[] BOUNDS = Arrays.stream(BUCKETS).mapToDouble(b -> b.equals("+Inf")
                ? Double.POSITIVE_INFINITY : Double.parseDouble(b)).toArray();
        private final long[] counts = new long[BOUNDS.length];
        private double sum;
        private long observedAt = Long.MIN_VALUE;

        void reset() {
            Arrays.fill(counts, 0);
            sum = 0;
        }

        HistogramState at(Random random, long time) {
            if (time != observedAt) {
                observedAt = time;
                for (int i = random.nextInt(60); i > 0; i--) {
                    double seconds = -Math.log(1 - random.nextDouble()) * 0.15;
                    int bucket = 0;
                    while (seconds > BOUNDS[bucket]) {
                        bucket++;
                    }
                    counts[bucket]++;
                    sum += seconds;
                }
            }
            return this;
        }

        double cumulative(int bucket) {
            long total = 0;
            for (int i = 0; i <= bucket; i++) {
                total += counts[i];
            }
            return total;
        }
    }

    /**
     * Prometheus' remote-write queue: samples in the order they were scraped, a request when 2,000 are pending or
     * 5 s after the first pending one, each request turned into the adapter's lines and packed records. A quarter
     * of an hour of samples is sent a second time 75 minutes later, as after an outage.
     */
    private final class RemoteWrite {
        private final Firehose firehose;
        private final Random random;
        private final JsonLineWriter encoder = ShippedDefaults.encoder();
        private final KinesisRecords gzipRecords = records(true);
        private final KinesisRecords plainRecords = records(false);
        private final long resendFrom;
        private final List<Scraped> pending = new ArrayList<>();
        private final List<Scraped> replay = new ArrayList<>();
        private boolean replayed;
        long lines;
        long records;
        long resent;
        private long puts;

        RemoteWrite(Firehose firehose, long start, Random random) {
            this.firehose = firehose;
            this.random = random;
            this.resendFrom = start + spanMs / 5;
        }

        void add(Scraped sample) throws IOException {
            if (!pending.isEmpty() && sample.time >= pending.get(0).time + BATCH_SEND_DEADLINE_MS) {
                send(pending.get(0).time + BATCH_SEND_DEADLINE_MS);
            }
            pending.add(sample);
            if (sample.time >= resendFrom && sample.time < resendFrom + RESEND_WINDOW_MS) {
                replay.add(sample);
            }
            if (pending.size() == MAX_SAMPLES_PER_SEND) {
                send(sample.time);
            }
        }

        void send(long sentAt) throws IOException {
            if (!pending.isEmpty()) {
                put(sentAt + PUT_MS, request(pending));
                pending.clear();
            }
            if (!replayed && sentAt >= resendFrom + RESEND_WINDOW_MS) {
                replayed = true;
                long at = resendFrom + RESEND_WINDOW_MS + RESEND_AFTER_MS;
                // catching up, Prometheus sends full requests, one after the other
                for (int from = 0; from < replay.size(); from += MAX_SAMPLES_PER_SEND, at += 200) {
                    List<Scraped> part = replay.subList(from, Math.min(replay.size(), from + MAX_SAMPLES_PER_SEND));
                    put(at, request(part));
                    resent += part.size();
                }
                replay.clear();
            }
            firehose.deliverUpTo(sentAt + PUT_MS);
        }

        /** A TimeSeries per sample, as Prometheus 2.x builds its requests. */
        private static WriteRequest request(List<Scraped> samples) {
            WriteRequest.Builder request = WriteRequest.newBuilder();
            for (Scraped sample : samples) {
                request.addTimeseries(TimeSeries.newBuilder().addAllLabels(sample.series.protobufLabels)
                        .addSamples(Sample.newBuilder().setTimestamp(sample.time).setValue(sample.value)));
            }
            return request.build();
        }

        /** The request's records put into the stream at {@code writtenAt}: each on a random shard, some twice. */
        private void put(long writtenAt, WriteRequest request) {
            boolean gzip = !firehose.plainRecordsAt(writtenAt);
            for (KinesisRecord record : (gzip ? gzipRecords : plainRecords).of(encoder.toJsonLines(request))) {
                ByteBuffer data = record.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                // the shard from the seed, not from the random key's MD5: the same archive every run
                Put original = new Put(writtenAt, puts++, random.nextInt(shards), bytes, gzip, null);
                firehose.pending.add(original);
                if (random.nextDouble() < duplicateFraction) {
                    long retryAfter = 500 + random.nextInt(20_000);
                    firehose.pending.add(new Put(writtenAt + retryAfter, puts++, original.shard, bytes, gzip,
                            original));
                    lines += record.samples();
                }
                lines += record.samples();
                records++;
            }
        }

        private static KinesisRecords records(boolean gzip) {
            KinesisRecords records = ShippedDefaults.kinesisRecords();
            records.setMode("packed");
            records.setGzip(gzip);
            records.setPartitionKey("random");
            return records;
        }
    }

    /** A sample as the scrape appended it. */
    private record Scraped(Series series, long time, double value) {
    }

    /** A record put into the stream; a copy points at its original. */
    private static final class Put {
        final long writtenAt;
        final long order;
        final int shard;
        final byte[] data;
        final boolean gzip;
        final Put original;
        long object = -1;

        Put(long writtenAt, long order, int shard, byte[] data, boolean gzip, Put original) {
            this.writtenAt = writtenAt;
            this.order = order;
            this.shard = shard;
            this.data = data;
            this.gzip = gzip;
            this.original = original;
        }
    }

    /**
     * Firehose reading the stream: each shard on its own, records buffered into an object until the object's
     * buffer interval has passed since its oldest record arrived or its size is reached, the object named by that
     * arrival.
     */
    private final class Firehose {
        final PriorityQueue<Put> pending = new PriorityQueue<>(Comparator.<Put>comparingLong(p -> p.writtenAt)
                .thenComparingLong(p -> p.order));
        private final Path directory;
        private final long start;
        private final Random random;
        private final Buffer[] buffers = new Buffer[shards];
        final Map<ObjectKind, Integer> objectsByKind = new EnumMap<>(ObjectKind.class);
        long duplicated;
        long duplicatesInALaterObject;
        long bytes;

        Firehose(Path directory, long start, Random random) {
            this.directory = directory;
            this.start = start;
            this.random = random;
            for (int i = 0; i < shards; i++) {
                buffers[i] = new Buffer();
            }
        }

        /** The adapter wrote plain records for a while (a settings change), gzip ones before and after. */
        boolean plainRecordsAt(long writtenAt) {
            long from = start + spanMs * 4 / 10;
            return writtenAt >= from && writtenAt < from + (long) (spanMs * plainRecordShare);
        }

        /** Every record put up to {@code writtenAt}, to its shard's buffer, in the order they were put. */
        void deliverUpTo(long writtenAt) throws IOException {
            while (!pending.isEmpty() && pending.peek().writtenAt <= writtenAt) {
                Put put = pending.poll();
                Buffer buffer = buffers[put.shard];
                long arrival = arrival(put.shard, put.writtenAt);
                if (!buffer.records.isEmpty() && (arrival >= buffer.due || buffer.gzip != put.gzip
                        || buffer.bytes + put.data.length > BUFFER_BYTES)) {
                    // one object, one kind of record: the restore tells an object's format by its first bytes
                    flush(buffer);
                }
                if (buffer.records.isEmpty()) {
                    buffer.firstArrival = arrival;
                    buffer.due = arrival + minBufferMs + (long) (random.nextDouble() * (maxBufferMs - minBufferMs));
                    buffer.gzip = put.gzip;
                }
                buffer.records.add(put.data);
                buffer.bytes += put.data.length;
                put.object = buffer.written;
                if (put.original != null) {
                    duplicated++;
                    if (put.original.object != put.object) {
                        duplicatesInALaterObject++;
                    }
                }
            }
        }

        /** Read a second after it was written; the lagging shard's reader stalls, then catches up. */
        private long arrival(int shard, long writtenAt) {
            long lagFrom = start + spanMs / 4;
            long caughtUp = lagFrom + lagMs * CATCH_UP / (CATCH_UP - 1);
            if (shard != laggingShard || writtenAt < lagFrom || writtenAt >= caughtUp) {
                return writtenAt + READ_MS;
            }
            return lagFrom + lagMs + (writtenAt - lagFrom) / CATCH_UP + READ_MS;
        }

        void flushAll() throws IOException {
            for (Buffer buffer : buffers) {
                if (!buffer.records.isEmpty()) {
                    flush(buffer);
                }
            }
        }

        private void flush(Buffer buffer) throws IOException {
            write(buffer);
            buffer.records.clear();
            buffer.bytes = 0;
            buffer.written++;
        }

        private void write(Buffer buffer) throws IOException {
            ObjectKind kind = buffer.gzip ? ObjectKind.GZIP_MEMBERS : random.nextDouble() < parquetShare
                    ? ObjectKind.PARQUET : random.nextBoolean() ? ObjectKind.PLAIN : ObjectKind.GZIP;
            Instant arrived = Instant.ofEpochMilli(buffer.firstArrival);
            UUID uuid = new UUID(random.nextLong() & ~0xF000L | 0x4000L,
                    random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
            // Firehose adds .gz when it compresses and .parquet when it converts
            String extension = kind == ObjectKind.GZIP ? ".gz" : kind == ObjectKind.PARQUET ? ".parquet" : "";
            Path object = objectPath(directory, arrived, uuid, extension);
            switch (kind) {
                case GZIP_MEMBERS, PLAIN -> {
                    try (OutputStream out = Files.newOutputStream(object)) {
                        for (byte[] record : buffer.records) {
                            out.write(record);
                        }
                    }
                }
                case GZIP -> {
                    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(object), 1 << 16)) {
                        for (byte[] record : buffer.records) {
                            out.write(record);
                        }
                    }
                }
                case PARQUET -> parquet.write(lines(buffer.records), object);
            }
            objectsByKind.merge(kind, 1, Integer::sum);
            bytes += Files.size(object);
        }

        private static List<String> lines(List<byte[]> records) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            records.forEach(all::writeBytes);
            return all.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** A shard's object being filled. */
    private static final class Buffer {
        final List<byte[]> records = new ArrayList<>();
        long firstArrival;
        long due;
        long bytes;
        boolean gzip;
        long written;
    }
}
