package io.github.promkinesis;

import static io.github.promkinesis.DeployYaml.at;
import static io.github.promkinesis.DeployYaml.list;
import static io.github.promkinesis.DeployYaml.map;
import static io.github.promkinesis.DeployYaml.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.config.AdapterConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Camel K files run the project's image, so they must name its port, its /observe paths (not Camel
 * Quarkus' /q ones), its settings, and mount the very routes of routes/ where the image reads them. The kamel
 * command must build the same Integration as the manifest.
 */
class CamelKFilesTest {

    private static final Path CAMEL_K = Path.of("deploy/camel-k");
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");

    private final Properties settings = DeployYaml.settings();
    private final Map<String, Object> integration = yaml(CAMEL_K.resolve("integration.yaml"));
    private final Map<String, Object> traits = map(at(integration, "spec", "traits"));

    CamelKFilesTest() throws IOException {
    }

    @Test
    void itRunsTheImageOfTheKubernetesDeploymentOnTheAdaptersPort() throws IOException {
        Map<String, Object> deployed = map(list(at(yaml(KUBERNETES.resolve("deployment.yaml")),
                "spec", "template", "spec", "containers")).get(0));
        int port = Integer.parseInt(settings.getProperty("http.port"));

        assertEquals("camel.apache.org/v1", integration.get("apiVersion"));
        assertEquals("Integration", integration.get("kind"));
        assertEquals(deployed.get("image"), at(traits, "container", "image"));
        assertEquals(port, at(traits, "container", "port"));
        assertEquals(port, at(traits, "container", "servicePort"), "the Prometheus snippet's port");
        assertEquals(String.valueOf(port), at(integration, "metadata", "annotations", "prometheus.io/port"));
        assertEquals(at(yaml(KUBERNETES.resolve("serviceaccount.yaml")), "metadata", "name"),
                at(integration, "spec", "serviceAccountName"));
    }

    @Test
    void probesPointAtTheAdaptersHealthPathsNotCamelQuarkusOnes() throws IOException {
        Map<String, Object> deployed = map(list(at(yaml(KUBERNETES.resolve("deployment.yaml")),
                "spec", "template", "spec", "containers")).get(0));

        assertEquals(at(deployed, "readinessProbe", "httpGet", "path"), at(traits, "health", "readinessProbe"));
        assertEquals(at(deployed, "livenessProbe", "httpGet", "path"), at(traits, "health", "livenessProbe"));
        assertEquals(true, at(traits, "health", "readinessProbeEnabled"));
        assertEquals(true, at(traits, "health", "livenessProbeEnabled"));
        assertEquals("/observe/metrics", at(integration, "metadata", "annotations", "prometheus.io/path"));
        assertTrue(list(at(traits, "owner", "targetAnnotations")).containsAll(
                map(at(integration, "metadata", "annotations")).keySet()), "annotations reach the pods");
        assertTrue((Integer) at(integration, "spec", "template", "spec", "terminationGracePeriodSeconds")
                > Integer.parseInt(settings.getProperty("camel.main.shutdown-timeout")), "grace above the drain");
        assertEquals(at(integration, "spec", "template", "spec"), yaml(CAMEL_K.resolve("pod-template.yaml")));
    }

    @Test
    void environmentVariablesAreSettingsOfTheAdapter() {
        Set<String> known = settings.stringPropertyNames().stream().map(AdapterConfiguration::environmentName)
                .collect(Collectors.toSet());
        for (Object variable : list(at(traits, "environment", "vars"))) {
            String name = ((String) variable).split("=", 2)[0];
            assertTrue(known.contains(name), name + " is no setting of application.properties");
        }
    }

    @Test
    void everyRouteOfTheProjectIsMountedFromTheConfigMapWhereTheImageReadsIt() throws IOException {
        Map<String, Object> configMap = yaml(KUBERNETES.resolve("configmap.yaml"));
        String name = (String) at(configMap, "metadata", "name");
        Map<String, String> mounted = new HashMap<>();
        Pattern resource = Pattern.compile("configmap:" + Pattern.quote(name) + "/([^@]+)@(.+)");
        for (Object entry : list(at(traits, "mount", "resources"))) {
            Matcher m = resource.matcher((String) entry);
            assertTrue(m.matches(), entry + " is not a key of the ConfigMap " + name);
            assertTrue(map(configMap.get("data")).containsKey(m.group(1)), m.group(1) + " is not in the ConfigMap");
            mounted.put(m.group(1), m.group(2));
        }

        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertTrue(dockerfile.contains("COPY routes /app/routes") && dockerfile.contains("/app/application.properties"));
        assertEquals("/app/application.properties", mounted.remove("application.properties"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            Map<String, String> expected = routes.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml"))
                    .collect(Collectors.toMap(f -> f, f -> "/app/routes/" + f));
            assertEquals(expected, mounted);
        }
    }

    @Test
    void theKamelCommandBuildsTheSameIntegration() throws IOException {
        String expanded = withDefaults(Files.readString(CAMEL_K.resolve("kamel-run.sh")));
        Set<String> flags = new HashSet<>();
        Matcher t = Pattern.compile("-t ([a-z-]+\\.[a-z-]+)=\"?([^\"\\s]+)\"?").matcher(expanded);
        while (t.find()) {
            flags.add(t.group(1) + "=" + t.group(2));
        }
        assertEquals(traitFlags(), flags);
        assertTrue(expanded.contains("--image " + at(traits, "container", "image")));
        assertTrue(expanded.contains("--name " + at(integration, "metadata", "name")));
        assertTrue(expanded.contains("--service-account " + at(integration, "spec", "serviceAccountName")));
        map(at(integration, "metadata", "annotations")).forEach((key, value) ->
                assertTrue(expanded.contains("--annotation " + key + "=" + value), key));
    }

    /** The script as it runs when no variable is set: each $VAR replaced by its ${VAR:-default}. */
    private static String withDefaults(String script) {
        String expanded = script;
        Matcher d = Pattern.compile("(?m)^([A-Z_]+)=\\$\\{\\1:-([^}]*)}$").matcher(script);
        while (d.find()) {
            expanded = expanded.replace("\"$" + d.group(1) + "\"", d.group(2)).replace("$" + d.group(1), d.group(2));
        }
        return expanded;
    }

    /** The Integration's traits as kamel -t flags: trait.kebab-key=value, one flag per list element. */
    private Set<String> traitFlags() {
        Set<String> flags = new HashSet<>();
        traits.forEach((trait, properties) -> map(properties).forEach((key, value) -> {
            if (trait.equals("container") && key.equals("image")) {
                return; // --image
            }
            String flag = trait + "." + key.replaceAll("([a-z])([A-Z]+)", "$1-$2").toLowerCase() + "=";
            List<Object> values = value instanceof List<?> ? list(value) : List.of(value);
            values.forEach(v -> flags.add(flag + v));
        }));
        return flags;
    }
}
