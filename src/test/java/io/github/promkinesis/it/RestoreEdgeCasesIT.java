package io.github.promkinesis.it;

import static io.github.promkinesis.it.RemoteWriteBodies.label;
import static io.github.promkinesis.it.RemoteWriteBodies.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.ShippedDefaults;
import io.github.promkinesis.config.PemTls;
import io.github.promkinesis.lines.JsonLineWriter;
import io.github.promkinesis.lines.JsonLines;
import io.github.promkinesis.protocol.prompb.BucketSpan;
import io.github.promkinesis.protocol.prompb.Exemplar;
import io.github.promkinesis.protocol.prompb.Histogram;
import io.github.promkinesis.protocol.prompb.Label;
import io.github.promkinesis.protocol.prompb.MetricMetadata;
import io.github.promkinesis.protocol.prompb.Sample;
import io.github.promkinesis.protocol.prompb.TimeSeries;
import io.github.promkinesis.protocol.prompb.WriteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The restore against a receiver stand-in that decodes every request exactly: every value kind comes back with
 * its bits (staleness marker included), labels with Unicode and escapes unchanged; time and selector filters;
 * unreadable objects and lines reported by name and line number while the rest is restored; 503 and 429
 * retried until accepted, 400 reported; the exit code says whether everything was restored.
 */
class RestoreEdgeCasesIT {

    private static final double STALE = Double.longBitsToDouble(JsonLineWriter.STALE_NAN_BITS);
    private static final double[] VALUES = {0.0, -0.0, 1.0, -1.5, 0.1 + 0.2, Double.MIN_VALUE, Double.MAX_VALUE,
        -Double.MAX_VALUE, 1e-310, 123456789.123456789, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, STALE};

    private final WriteRequest request = WriteRequest.newBuilder()
            .addTimeseries(series(List.of(label("__name__", "every_value"), label("job", "edge")), 1_000))
            .addTimeseries(series(List.of(label("__name__", "unicode_and_escapes"),
                    label("text", "日本語 \"quoted\" back\\slash\nnew line\ttab \u0001 🙂")), 2_000))
            .addTimeseries(series(List.of(label("__name__", "other_job"), label("job", "batch")), 3_000))
            .build();

    @Test
    void everyValueAndLabelComesBackExactlyThroughRetriesAndBadInputIsReported() throws Exception {
        Path archive = Files.createTempDirectory("archive");
        byte[] lines = jsonLines(request);
        int half = lines.length / 2;
        while (lines[half - 1] != '\n') {
            half++;
        }
        Files.write(archive.resolve("a-plain"), Arrays.copyOf(lines, half));
        Files.write(archive.resolve("b-gzip"), gzip(Arrays.copyOfRange(lines, half, lines.length)));
        Files.write(archive.resolve("c-bad-lines"), ("not json\n" + "{\"name\":\"x\",\"time\":1,\"labels\":{}}\n"
                + new String(lines, 0, lines.length, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().get()
                + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] gzipped = gzip(lines);
        Files.write(archive.resolve("d-truncated-gzip"), Arrays.copyOf(gzipped, gzipped.length / 2));
        Files.write(archive.resolve("e-empty"), new byte[0]);

        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            receiver.answersFirst.addAll(List.of(503, 429, 503));
            Run run = restore(archive, receiver, "--concurrency", "2", "--max-samples-per-send", "5");

            assertEquals(1, run.exit, run.log);
            assertTrue(run.log.contains("c-bad-lines:1: not JSON"), run.log);
            assertTrue(run.log.contains("c-bad-lines:2: not a line of the archive"), run.log);
            assertTrue(run.log.contains("d-truncated-gzip: unreadable after line"), run.log);
            assertTrue(run.log.contains("e-empty: empty object"), run.log);
            assertTrue(run.log.contains("answered 503; retrying") && run.log.contains("answered 429; retrying"), run.log);
            Set<ReceiverStandIn.Received> expected = expected(s -> true);
            // the good objects hold every sample (c and the truncated gzip only repeat some): all of them, bit for bit
            assertEquals(expected, Set.copyOf(receiver.accepted), "every sample, exact bits, nothing else");
        }
    }

    @Test
    void anS3PrefixIsReadAsFirehoseLaidItOut() throws Exception {
        byte[] lines = jsonLines(request);
        int half = lines.length / 2;
        while (lines[half - 1] != '\n') {
            half++;
        }
        try (S3rver s3 = new S3rver(); ReceiverStandIn receiver = new ReceiverStandIn()) {
            s3.client.createBucket(r -> r.bucket("archive"));
            s3.put("archive", "metrics/2026/11/28/10/stream-1-a", Arrays.copyOf(lines, half));
            s3.put("archive", "metrics/2026/11/28/11/stream-1-b", gzip(Arrays.copyOfRange(lines, half, lines.length)));
            s3.put("archive", "errors/2026/11/28/10/failed", "not json\n".getBytes());

            Run run = restore("s3://archive/metrics/", receiver, Map.of("S3_ENDPOINT", s3.endpoint(),
                    "AWS_ACCESS_KEY_ID", S3rver.KEY, "AWS_SECRET_ACCESS_KEY", S3rver.KEY));

            assertEquals(0, run.exit, run.log);
            assertTrue(run.log.contains("objects 2 (bad 0)"), run.log);
            assertEquals(expected(s -> true), Set.copyOf(receiver.accepted));
        }
    }

    @Test
    void aRerunWithTheCheckpointSendsOnlyWhatWasNotAnswered() throws Exception {
        Path archive = Files.createTempDirectory("archive");
        List<TimeSeries> series = request.getTimeseriesList();
        for (int i = 0; i < series.size(); i++) {
            Files.write(archive.resolve("object-" + i), jsonLines(WriteRequest.newBuilder().addTimeseries(series.get(i))
                    .build()));
        }
        Path checkpoint = Files.createTempDirectory("checkpoint").resolve("done");
        // requests of 10 lines: the first ends inside the first series, the second is refused with 503 for good
        String[] options = {"--concurrency", "1", "--max-samples-per-send", "10", "--checkpoint", checkpoint.toString()};
        Set<ReceiverStandIn.Received> answered;
        try (ReceiverStandIn first = new ReceiverStandIn()) {
            first.acceptRequests = 1; // then 503 for good: the restore retries until it is killed
            List<String> command = Adapter.java("-jar", Adapter.JAR.toAbsolutePath().toString(),
                    "restore", "--from", archive.toString(), "--to", first.uri().toString());
            command.addAll(List.of(options));
            Process killed = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 300 && !Files.exists(checkpoint); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(1500); // the second request is being retried
            killed.destroyForcibly().waitFor();
            answered = Set.copyOf(first.accepted);
            assertEquals(expected(s -> s.labels().contains("every_value") && s.time() < 1_010), answered,
                    "the first request: the first series' first ten lines");
        }
        try (ReceiverStandIn second = new ReceiverStandIn()) {
            Run run = restore(archive, second, options);

            assertEquals(0, run.exit, run.log);
            assertTrue(run.log.contains("10 sent by an earlier run (--checkpoint)"), run.log);
            assertEquals(expected(s -> !answered.contains(s)), Set.copyOf(second.accepted),
                    "only what the killed run had not sent");
            assertEquals(expected(s -> true).size() - 10, second.accepted.size(), "nothing sent twice");
        }
    }

    @Test
    void exemplarsAndMetadataComeBackAsTheyWereWritten() throws Exception {
        TimeSeries withExemplars = TimeSeries.newBuilder().addLabels(label("__name__", "rpc_seconds_bucket"))
                .addLabels(label("le", "0.5")).addSamples(sample(3, 1_000))
                .addExemplars(Exemplar.newBuilder().addLabels(label("trace_id", "t-1")).addLabels(label("span", "s"))
                        .setValue(0.25).setTimestamp(999))
                .addExemplars(Exemplar.newBuilder().setValue(Double.NaN).setTimestamp(1_000))
                .build();
        WriteRequest written = WriteRequest.newBuilder().addTimeseries(withExemplars)
                .addMetadata(MetricMetadata.newBuilder().setMetricFamilyName("rpc_seconds")
                        .setType(MetricMetadata.MetricType.HISTOGRAM).setHelp("RPC \"latency\"\n").setUnit("seconds"))
                .addMetadata(MetricMetadata.newBuilder().setMetricFamilyName("up").setType(MetricMetadata.MetricType.GAUGE))
                .build();
        JsonLineWriter encoder = ShippedDefaults.encoder();
        encoder.setMetadataLines(true);
        JsonLines lines = encoder.toJsonLines(written);
        ByteBuffer all = lines.slice(0, lines.size());
        Path archive = Files.createTempDirectory("archive");
        Files.write(archive.resolve("lines"), Arrays.copyOfRange(all.array(), all.arrayOffset() + all.position(),
                all.arrayOffset() + all.limit()));

        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            Run run = restore(archive, receiver);

            assertEquals(0, run.exit, run.log);
            String series = "__name__=rpc_seconds_bucket,le=0.5";
            assertEquals(Set.of(ReceiverStandIn.exemplar(series, withExemplars.getExemplars(0)),
                    ReceiverStandIn.exemplar(series, withExemplars.getExemplars(1))), Set.copyOf(receiver.exemplars));
            assertEquals(Set.copyOf(written.getMetadataList()), Set.copyOf(receiver.metadata));
            assertEquals(1, receiver.accepted.size());
        }
    }

    /** As Prometheus sends them: both oneofs set (a zero count of 0 too), spans without empty gaps. */
    @Test
    void nativeHistogramsOfEverySchemaComeBackAsTheyWere() throws Exception {
        BucketSpan two = BucketSpan.newBuilder().setOffset(-2).setLength(2).build();
        BucketSpan gapThenThree = BucketSpan.newBuilder().setOffset(3).setLength(3).build();
        List<Histogram> histograms = List.of(
                Histogram.newBuilder().setCountInt(20).setSum(-3.25).setSchema(0).setZeroThreshold(0.001)
                        .setZeroCountInt(1).addNegativeSpans(two).addNegativeDeltas(2).addNegativeDeltas(-1)
                        .addPositiveSpans(two).addPositiveSpans(gapThenThree).addAllPositiveDeltas(List.of(1L, 1L, 3L,
                                -2L, 2L)).setResetHint(Histogram.ResetHint.NO).setTimestamp(1_000).build(),
                Histogram.newBuilder().setCountFloat(7.5).setSum(12.0).setSchema(3).setZeroThreshold(0)
                        .setZeroCountFloat(0.5).addPositiveSpans(gapThenThree).addAllPositiveCounts(List.of(1.0, 2.5,
                                3.5)).setResetHint(Histogram.ResetHint.GAUGE).setTimestamp(2_000).build(),
                Histogram.newBuilder().setCountInt(7).setSum(4.0).setSchema(-53).setZeroCountInt(0)
                        .addPositiveSpans(BucketSpan.newBuilder().setOffset(0).setLength(4))
                        .addAllPositiveDeltas(List.of(1L, 1L, -1L, 2L)).addAllCustomValues(List.of(0.1, 0.5, 1.0))
                        .setResetHint(Histogram.ResetHint.YES).setTimestamp(3_000).build(),
                Histogram.newBuilder().setCountInt(0).setSum(Double.longBitsToDouble(
                        JsonLineWriter.STALE_NAN_BITS)).setSchema(1).setZeroCountInt(0).setTimestamp(4_000)
                        .build());
        WriteRequest written = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                .addLabels(label("__name__", "rpc_seconds")).addLabels(label("job", "api"))
                .addAllHistograms(histograms)).build();
        Path archive = Files.createTempDirectory("archive");
        Files.write(archive.resolve("lines"), jsonLines(written));

        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            Run run = restore(archive, receiver);

            assertEquals(0, run.exit, run.log);
            assertEquals(histograms.stream().map(h -> Map.entry("__name__=rpc_seconds,job=api", h)).toList(),
                    receiver.histograms);
        }
    }

    @Test
    void twoProcessesSplitTheArchiveByPrefix() throws Exception {
        Path archive = Files.createTempDirectory("archive");
        List<TimeSeries> series = request.getTimeseriesList();
        for (int i = 0; i < series.size(); i++) {
            Path hour = Files.createDirectories(archive.resolve("2026/11/28/1" + i));
            Files.write(hour.resolve("stream-1"), jsonLines(WriteRequest.newBuilder().addTimeseries(series.get(i))
                    .build()));
        }
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            List<Process> workers = new ArrayList<>();
            for (String prefix : List.of("2026/11/28/10", "2026/11/28/11")) {
                workers.add(new ProcessBuilder(Adapter.java("-jar", Adapter.JAR.toAbsolutePath().toString(),
                        "restore", "--from", archive.resolve(prefix).toString(), "--to", receiver.uri().toString(),
                        "--checkpoint", archive.resolveSibling(archive.getFileName() + "-" + prefix.replace('/', '-'))
                                .toString()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (Process worker : workers) {
                assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, worker.exitValue());
            }
            assertEquals(expected(s -> !s.labels().contains("other_job")), Set.copyOf(receiver.accepted),
                    "each process its prefix, together the two hours");
        }
    }

    @Test
    void theStreamItselfIsReadShardByShard() throws Exception {
        try (Deployment it = Deployment.inProcess("RestoreFromStream", 2, Map.of("KINESIS_RECORD_MODE", "packed",
                "KINESIS_RECORD_GZIP", "true", "KINESIS_PARTITION_KEY", "series"));
             ReceiverStandIn receiver = new ReceiverStandIn()) {
            assertEquals(204, it.adapter.remoteWrite("/receive", RemoteWriteBodies.snappy(request)).statusCode());

            Run run = restore("kinesis://restorefromstream", receiver, Map.of("KINESIS_ENDPOINT", it.kinesis.endpoint(),
                    "AWS_REGION", Kinesalite.REGION, "CBOR_ENABLED", "false", "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test"));

            assertEquals(0, run.exit, run.log);
            assertTrue(run.log.contains("objects 2 (bad 0)"), "one object per shard: " + run.log);
            assertEquals(expected(s -> true), Set.copyOf(receiver.accepted));
        }
    }

    @Test
    void filtersByTimeAndSelectorsOrEdTogether() throws Exception {
        Path archive = Files.createTempDirectory("archive");
        Files.write(archive.resolve("lines"), jsonLines(request));
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            Run run = restore(archive, receiver, "--start", "1970-01-01T00:00:01.002Z", "--end", "3004",
                    "--match", "{__name__=\"every_value\"}", "--match", "other_job{job=~\"b.*\"}");

            assertEquals(0, run.exit, run.log);
            assertEquals(expected(s -> (s.labels().contains("every_value") || s.labels().contains("other_job"))
                    && s.time() >= 1002 && s.time() <= 3004), Set.copyOf(receiver.accepted));
        }
    }

    @Test
    void aReceiverRefusingDataIsReportedAndTheRestStillRestored() throws Exception {
        Path archive = Files.createTempDirectory("archive");
        Files.write(archive.resolve("lines"), jsonLines(request));
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            receiver.refuseSeriesWith = "other_job";
            Run run = restore(archive, receiver, "--concurrency", "1", "--max-samples-per-send", "14");

            assertEquals(1, run.exit, run.log);
            assertTrue(run.log.contains("the receiver refused 14 samples with 400: invalid series"), run.log);
            assertEquals(expected(s -> !s.labels().contains("other_job")), Set.copyOf(receiver.accepted));
        }
    }

    @Test
    void tlsAndCredentialsComeFromTheEnvironmentAndFiles() throws Exception {
        Path dir = Files.createTempDirectory("restore-tls");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days",
                "1", "-subj", "/CN=restore test CA");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        for (String who : List.of("server", "client")) {
            openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            openssl(dir, "x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".pem", "-days", "1", "-extfile", who + ".ext");
        }
        Files.writeString(dir.resolve("token"), "s3cret\n"); // as a mounted Secret often ends
        Path archive = Files.createTempDirectory("archive");
        Files.write(archive.resolve("lines"), jsonLines(request));
        Map<String, String> tls = Map.of("RESTORE_TLS_CA_FILE", dir.resolve("ca.pem").toString(),
                "RESTORE_TLS_CERT_FILE", dir.resolve("client.pem").toString(),
                "RESTORE_TLS_KEY_FILE", dir.resolve("client.key").toString(),
                "RESTORE_AUTH_BEARER_TOKEN_FILE", dir.resolve("token").toString());

        try (ReceiverStandIn receiver = ReceiverStandIn.https(PemTls.context(dir.resolve("ca.pem"),
                dir.resolve("server.pem"), dir.resolve("server.key")))) {
            receiver.authorization = "Bearer s3cret";
            Run run = restore(archive.toString(), receiver, tls);
            assertEquals(0, run.exit, run.log);
            assertEquals(expected(s -> true), Set.copyOf(receiver.accepted));

            Map<String, String> noCa = new java.util.HashMap<>(tls);
            noCa.remove("RESTORE_TLS_CA_FILE");
            Run untrusted = restore(archive.toString(), receiver, noCa);
            assertEquals(1, untrusted.exit, untrusted.log);
            assertTrue(untrusted.log.contains("RESTORE_TLS_CA_FILE"), untrusted.log);

            Map<String, String> noToken = new java.util.HashMap<>(tls);
            noToken.remove("RESTORE_AUTH_BEARER_TOKEN_FILE");
            Run anonymous = restore(archive.toString(), receiver, noToken);
            assertEquals(1, anonymous.exit, anonymous.log);
            assertTrue(anonymous.log.contains("samples with 401: who are you")
                    && anonymous.log.contains("42 refused by the receiver"), anonymous.log);

            Map<String, String> halfPair = new java.util.HashMap<>(tls);
            halfPair.remove("RESTORE_TLS_KEY_FILE");
            Run half = restore(archive.toString(), receiver, halfPair);
            assertEquals(2, half.exit, half.log);
            assertEquals("restore: RESTORE_TLS_CERT_FILE and RESTORE_TLS_KEY_FILE are needed together for a client"
                    + " certificate", half.log.strip());
        }
    }

    private static void openssl(Path dir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process openssl = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertEquals(0, openssl.waitFor(), Files.readString(dir.resolve("openssl.log")));
    }

    @Test
    void badUsageIsOneLineAndExitCode2() throws Exception {
        try (ReceiverStandIn receiver = new ReceiverStandIn()) {
            Run run = restore(Path.of("no-such-archive"), receiver);
            assertEquals(2, run.exit, run.log);
            assertTrue(run.log.startsWith("restore: --from no-such-archive: no such file or directory"), run.log);
        }
        Process unknown = new ProcessBuilder(Adapter.java("-jar", Adapter.JAR.toAbsolutePath().toString(), "backup"))
                .redirectErrorStream(true).start();
        String said = new String(unknown.getInputStream().readAllBytes());
        assertEquals(2, unknown.waitFor(), said);
        assertTrue(said.contains("unknown command backup"), said);
    }

    private Set<ReceiverStandIn.Received> expected(Predicate<ReceiverStandIn.Received> kept) {
        Set<ReceiverStandIn.Received> expected = new java.util.HashSet<>();
        for (TimeSeries series : request.getTimeseriesList()) {
            List<Label> sorted = new ArrayList<>(series.getLabelsList());
            sorted.sort(java.util.Comparator.comparing(Label::getName));
            String labels = sorted.stream().map(l -> l.getName() + "=" + l.getValue())
                    .reduce((x, y) -> x + "," + y).orElse("");
            for (Sample s : series.getSamplesList()) {
                ReceiverStandIn.Received received = new ReceiverStandIn.Received(labels, s.getTimestamp(),
                        Double.doubleToRawLongBits(s.getValue()));
                if (kept.test(received)) {
                    expected.add(received);
                }
            }
        }
        return expected;
    }

    private static TimeSeries series(List<Label> labels, long firstTime) {
        TimeSeries.Builder series = TimeSeries.newBuilder().addAllLabels(labels);
        for (int i = 0; i < VALUES.length; i++) {
            series.addSamples(sample(VALUES[i], firstTime + i));
        }
        return series.build();
    }

    /** The lines exactly as the adapter writes them. */
    private static byte[] jsonLines(WriteRequest request) {
        JsonLines lines = ShippedDefaults.encoder().toJsonLines(request);
        ByteBuffer all = lines.slice(0, lines.size());
        byte[] bytes = new byte[all.remaining()];
        all.get(bytes);
        return bytes;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private record Run(int exit, String log) {
    }

    private static Run restore(Path archive, ReceiverStandIn receiver, String... options) throws Exception {
        return restore(archive.toString(), receiver, Map.of(), options);
    }

    private static Run restore(String archive, ReceiverStandIn receiver, Map<String, String> env, String... options)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of("restore", "--from", archive, "--to",
                receiver.uri().toString()));
        arguments.addAll(List.of(options));
        ArchiveCommand.Run run = ArchiveCommand.run(List.of(), arguments, env, Files.createTempFile("restore", ".log"),
                Duration.ofSeconds(60));
        return new Run(run.exit(), run.log());
    }

}
