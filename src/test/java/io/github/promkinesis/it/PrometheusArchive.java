package io.github.promkinesis.it;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * An archive recorded from a real Prometheus: Debian's Prometheus 2.42 scrapes itself and the adapter's
 * {@code /observe/metrics} every second and remote-writes through the adapter (packed gzip records, as shipped)
 * into kinesalite; the stream's records are then laid out as Firehose writes them without compression: per shard,
 * the records that arrived within a buffer interval concatenated into one object under the hour prefix of the
 * oldest one's arrival. For {@code CompactBenchmark data=prometheus}.
 */
final class PrometheusArchive {

    private static final Duration BUFFER_INTERVAL = Duration.ofSeconds(60);
    private static final long BUFFER_BYTES = 5L << 20;

    /** What was recorded: the days (UTC) the records arrived in, and how many records and objects. */
    record Recorded(LocalDate first, LocalDate last, int records, int objects) {

        /** The days as {@code compact --day} takes them. */
        String days() {
            return first.equals(last) ? first.toString() : first + ".." + last;
        }
    }

    private PrometheusArchive() {
    }

    static Recorded record(Duration span, Path directory) throws Exception {
        // for this JVM's kinesalite client, as failsafe sets them for the integration tests
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        System.setProperty("aws.cborEnabled", "false");
        List<List<Record>> shards = new ArrayList<>();
        try (Deployment it = Deployment.direct("PrometheusArchive", 2, Map.of("KINESIS_RECORD_MODE", "packed",
                "KINESIS_RECORD_GZIP", "true"))) {
            try (Prometheus prometheus = new Prometheus(it.adapter.uri("/receive"), "archive-prometheus",
                    Map.of("adapter", it.adapter.uri("/observe/metrics")))) {
                prometheus.awaitReady();
                Thread.sleep(span.toMillis());
            }
            // what Prometheus sent as it stopped, through the adapter's batching
            Thread.sleep(3_000);
            for (String shard : it.stream.iteratorsAt(ShardIteratorType.TRIM_HORIZON)) {
                shards.add(it.stream.read(List.of(shard)));
            }
        }
        List<Record> records = shards.stream().flatMap(List::stream).toList();
        if (records.isEmpty()) {
            throw new IllegalStateException("Prometheus sent nothing; see target/it-logs/archive-prometheus.log");
        }
        int objects = 0;
        for (List<Record> shard : shards) {
            objects += layOut(shard, directory);
        }
        Instant first = records.stream().map(Record::approximateArrivalTimestamp).min(Instant::compareTo).orElseThrow();
        Instant last = records.stream().map(Record::approximateArrivalTimestamp).max(Instant::compareTo).orElseThrow();
        // the oldest samples were scraped up to a send deadline before they arrived
        return new Recorded(LocalDate.ofInstant(first.minusSeconds(10), ZoneOffset.UTC),
                LocalDate.ofInstant(last, ZoneOffset.UTC), records.size(), objects);
    }

    /** One shard's records, in arrival order, as Firehose objects; how many. */
    private static int layOut(List<Record> shard, Path directory) throws Exception {
        List<List<Record>> objects = new ArrayList<>();
        List<Record> buffer = new ArrayList<>();
        long bytes = 0;
        for (Record record : shard) {
            if (!buffer.isEmpty() && (bytes + record.data().asByteArray().length > BUFFER_BYTES
                    || !record.approximateArrivalTimestamp().isBefore(
                            buffer.get(0).approximateArrivalTimestamp().plus(BUFFER_INTERVAL)))) {
                objects.add(buffer);
                buffer = new ArrayList<>();
                bytes = 0;
            }
            buffer.add(record);
            bytes += record.data().asByteArray().length;
        }
        if (!buffer.isEmpty()) {
            objects.add(buffer);
        }
        for (List<Record> object : objects) {
            Path path = FirehoseArchive.objectPath(directory, object.get(0).approximateArrivalTimestamp(),
                    UUID.randomUUID(), "");
            try (OutputStream out = Files.newOutputStream(path)) {
                for (Record record : object) {
                    out.write(record.data().asByteArray());
                }
            }
        }
        return objects.size();
    }
}
