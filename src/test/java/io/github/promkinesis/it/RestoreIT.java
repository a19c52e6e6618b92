package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The backup's round trip with real parts: Prometheus A scrapes itself and remote-writes through the adapter
 * (packed gzip records) into kinesalite; the stream's records are laid out as Firehose writes objects (one of
 * concatenated gzip members, one plain, one gzip as a whole), in a directory and in s3rver; {@code restore}
 * brings them into Prometheus B from the directory and into Prometheus B2 from S3, and
 * {@code export} into OpenMetrics that promtool backfills into blocks Prometheus C serves. Every raw sample A
 * returns for the window must come back from B, B2 and C, the same.
 */
class RestoreIT {

    @Test
    void whatPrometheusStoredComesBackFromTheArchiveTheSame() throws Exception {
        assertTrue(Files.isExecutable(Prometheus.BINARY), "needs Debian's prometheus package; bin/test installs it");
        try (Deployment it = Deployment.direct("RestoreIT", 1, Map.of("KINESIS_RECORD_MODE", "packed",
                "KINESIS_RECORD_GZIP", "true"));
             Prometheus a = new Prometheus(it.adapter.uri("/receive"), "restore-a");
             Prometheus b = Prometheus.receiver("restore-b")) {
            a.awaitReady();
            b.awaitReady();
            Thread.sleep(15_000);
            long windowEnd = System.currentTimeMillis() - 5_000;
            String everything = "{__name__=~\".+\"}[60s]";
            Set<String> stored = new TreeSet<>(a.rawSamples(everything, windowEnd));
            assertTrue(stored.size() > 1000, "Prometheus A stored too few samples: " + stored.size());

            List<Record> records = recordsHolding(it, stored);
            Path archive = Files.createTempDirectory("archive");
            layOutAsFirehose(records, archive);

            String fromDirectory = restore("directory", archive.toString(), b, windowEnd, Map.of());
            assertTrue(fromDirectory.contains("restore: objects 3 (bad 0)"), fromDirectory);
            assertSame(stored, new TreeSet<>(b.rawSamples(everything, windowEnd)), "B (restore from a directory)");

            try (S3rver s3 = new S3rver(); Prometheus b2 = Prometheus.receiver("restore-b2")) {
                s3.client.createBucket(r -> r.bucket("archive"));
                s3.putDirectory("archive", "metrics/", archive);
                b2.awaitReady();
                String fromS3 = restore("s3", "s3://archive/metrics/", b2, windowEnd, Map.of("S3_ENDPOINT",
                        s3.endpoint(), "AWS_ACCESS_KEY_ID", S3rver.KEY, "AWS_SECRET_ACCESS_KEY", S3rver.KEY));
                assertTrue(fromS3.contains("restore: objects 3 (bad 0)"), fromS3);
                assertSame(stored, new TreeSet<>(b2.rawSamples(everything, windowEnd)), "B2 (restore from S3)");
            }

            Path blocks = ArchiveCommand.exportAndBackfill("RestoreIT", archive.toString(), "--end",
                    String.valueOf(windowEnd));
            try (Prometheus c = Prometheus.onBlocks("restore-c", blocks)) {
                c.awaitReady();
                assertSame(stored, new TreeSet<>(c.rawSamples(everything, windowEnd)), "C (export, backfill)");
            }
        }
    }

    /** A restore into the receiver that must end with exit 0, with nothing unreadable and no warning; its output. */
    private static String restore(String name, String from, Prometheus receiver, long windowEnd,
                                  Map<String, String> env) throws Exception {
        ArchiveCommand.Run run = ArchiveCommand.run(List.of(), List.of("restore", "--from", from, "--to",
                receiver.receiver().toString(), "--end", String.valueOf(windowEnd)), env,
                Path.of("target/it-logs/RestoreIT-restore-" + name + ".log"), Duration.ofSeconds(120));
        ArchiveCommand.assertClean(run);
        return run.log();
    }

    private static void assertSame(Set<String> stored, Set<String> restored, String where) {
        ArchiveCommand.assertSameSamples(stored, restored, "stored by A, restored in " + where);
    }

    /** The stream's records once every sample A stored is among them (Prometheus sends within seconds). */
    private static List<Record> recordsHolding(Deployment it, Set<String> stored) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Record> records = it.stream.readAll();
            Set<String> missing = new HashSet<>(stored);
            missing.removeAll(new HashSet<>(SampleLines.receivedPacked(records, true, 500)));
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                assertEquals(Set.of(), missing, "stored by A but not in the stream");
                return records;
            }
            Thread.sleep(500);
        }
    }

    /** Three objects as Firehose writes them: gzip members concatenated, plain lines, and plain lines gzipped whole. */
    private static void layOutAsFirehose(List<Record> records, Path archive) throws IOException {
        assertTrue(records.size() >= 3, "enough records for three objects: " + records.size());
        int third = records.size() / 3;
        Path hour10 = Files.createDirectories(archive.resolve("2026/11/28/10"));
        Path hour11 = Files.createDirectories(archive.resolve("2026/11/28/11"));
        try (OutputStream members = Files.newOutputStream(hour10.resolve("stream-1-a"))) {
            for (Record record : records.subList(0, third)) {
                members.write(record.data().asByteArray());
            }
        }
        Files.write(hour10.resolve("stream-1-b"), plain(records.subList(third, 2 * third)));
        try (OutputStream whole = new GZIPOutputStream(Files.newOutputStream(hour11.resolve("stream-1-c")))) {
            whole.write(plain(records.subList(2 * third, records.size())));
        }
    }

    private static byte[] plain(List<Record> gzipMembers) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (Record record : gzipMembers) {
            try (GZIPInputStream member = new GZIPInputStream(record.data().asInputStream())) {
                member.transferTo(lines);
            }
        }
        return lines.toByteArray();
    }

}
