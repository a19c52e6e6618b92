package io.github.promkinesis;

import static io.github.promkinesis.DeployYaml.at;
import static io.github.promkinesis.DeployYaml.list;
import static io.github.promkinesis.DeployYaml.map;
import static io.github.promkinesis.DeployYaml.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.config.Setting;
import io.github.promkinesis.config.SettingReaders;
import io.github.promkinesis.config.SettingsSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Camel K files must be an Integration the API server takes (checked against the project's schema of the
 * part of Camel K 2.10.1's CRD they use, unknown fields refused), set every trait a self-managed build cannot
 * work out without sources, and run the project's image: its port, its /observe paths (not Camel Quarkus' /q
 * ones on 8080), its settings, and the very routes of routes/ mounted where the image reads them. The kamel
 * command must build the same Integration as the manifest. The archive reader's Integration runs the same image's
 * serve-archive command as deploy/kubernetes/archive-reader does.
 */
class CamelKFilesTest {

    private static final Path CAMEL_K = Path.of("deploy/camel-k");
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final DeploySchema SCHEMA = new DeploySchema("camel-k-integration-v1.schema.json");

    private final Properties settings = DeployYaml.settings();
    private final int port = Integer.parseInt(settings.getProperty("http.port"));
    private final Map<String, Object> integration = yaml(CAMEL_K.resolve("integration.yaml"));
    private final Map<String, Object> traits = map(at(integration, "spec", "traits"));

    CamelKFilesTest() throws IOException {
    }

    @Test
    void theIntegrationPassesTheCrdSchema() throws IOException {
        assertEquals(List.of(), SCHEMA.errors(integration));
        assertEquals(List.of(), SCHEMA.errors(yaml(CAMEL_K.resolve("archive-reader.yaml"))));
    }

    @Test
    void theSchemaRefusesWhatTheApiServerWouldRefuse() throws IOException {
        assertRefused(i -> map(at(i, "spec", "template", "spec")).remove("containers"), "containers", "required");
        assertRefused(i -> map(list(at(i, "spec", "template", "spec", "containers")).get(0)).put("name", "main"),
                "integration", "contain");
        assertRefused(i -> map(at(i, "spec", "traits", "health")).put("readinessPath", "/ready"), "readinessPath");
        assertRefused(i -> map(at(i, "spec", "traits", "container")).put("port", "9501"), "port", "integer");
        assertRefused(i -> map(at(i, "spec", "traits")).put("services", Map.of("enabled", true)), "services");
        assertRefused(i -> map(at(i, "spec", "traits", "service")).put("type", "Ingress"), "type", "enum");
        // the archive reader's command line as one string, which the API server refuses
        assertRefused(i -> map(list(at(i, "spec", "template", "spec", "containers")).get(0)).put("args",
                "serve-archive --from s3://metrics-archive-bucket/compacted/"), "args", "array");
        // The Integration as it was before the schema check: no containers, no Service.
        Map<String, Object> before = yaml(Path.of("src/test/resources/schemas/refused-integration.yaml"));
        assertFalse(SCHEMA.errors(before).isEmpty(), "the old, refused Integration passes the schema");
    }

    @Test
    void selfManagedBuildSetsWhatTheOperatorCannotGuess() {
        assertEquals(true, at(traits, "service", "enabled"), "a self-managed Integration gets no Service otherwise");
        assertEquals(false, at(traits, "service", "auto"), "service.auto would override enabled");
        assertEquals(port, at(traits, "health", "readinessPort"), "Camel K main probes 8080 otherwise");
        assertEquals(port, at(traits, "health", "livenessPort"), "Camel K main probes 8080 otherwise");
        assertEquals(true, at(traits, "health", "enabled"), "probes are off for self-managed builds otherwise");
        assertNotNull(at(traits, "container", "limitCPU"), "Camel K's default limit is 500m");
        assertNotNull(at(traits, "camel", "runtimeVersion"), "the catalog the operator works with");
        assertNotNull(at(traits, "deployment", "strategy"));
    }

    @Test
    void itRunsTheImageOfTheKubernetesDeploymentOnTheAdaptersPort() throws IOException {
        Map<String, Object> deployed = map(list(at(yaml(KUBERNETES.resolve("deployment.yaml")),
                "spec", "template", "spec", "containers")).get(0));

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
    }

    @Test
    void environmentVariablesAreSettingsOfTheAdapter() {
        Set<String> known = settings.stringPropertyNames().stream().map(SettingsSource::environmentName)
                .collect(Collectors.toSet());
        Set<String> names = list(at(traits, "environment", "vars")).stream()
                .map(variable -> ((String) variable).split("=", 2)[0]).collect(Collectors.toSet());
        assertTrue(names.contains("STREAM_NAME"), "the one required setting");
        names.forEach(name -> assertTrue(known.contains(name), name + " is no setting of application.properties"));
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
        Map<String, Object> built = kamelRun(withDefaults(Files.readString(CAMEL_K.resolve("kamel-run.sh"))));

        assertEquals(List.of(), SCHEMA.errors(built));
        Map<String, Object> expected = yaml(CAMEL_K.resolve("integration.yaml"));
        map(expected.get("spec")).remove("replicas"); // kamel has no flag for it: kubectl scale, as the script says
        assertEquals(expected, built);
    }

    /**
     * The archive reader's Integration: the adapter's image with serve-archive's arguments (the image's
     * ENTRYPOINT runs them), the Kubernetes manifest's command line, probes, service account and settings, and
     * no routes mounted over the image's own.
     */
    @Test
    void theArchiveReaderRunsServeArchiveOnTheAdaptersImageAsTheKubernetesManifestDoes() throws IOException {
        Map<String, Object> reader = yaml(CAMEL_K.resolve("archive-reader.yaml"));
        Map<String, Object> readerTraits = map(at(reader, "spec", "traits"));
        Map<String, Object> manifest = yaml(KUBERNETES.resolve("archive-reader/deployment.yaml"));
        Map<String, Object> deployed = map(list(at(manifest, "spec", "template", "spec", "containers")).get(0));
        List<Object> containers = list(at(reader, "spec", "template", "spec", "containers"));

        assertEquals(1, containers.size());
        assertEquals("integration", map(containers.get(0)).get("name"), "the pod trait merges by this name");
        assertEquals(deployed.get("args"), map(containers.get(0)).get("args"));
        assertEquals("serve-archive", list(deployed.get("args")).get(0));
        assertEquals(at(traits, "container", "image"), at(readerTraits, "container", "image"));
        assertEquals(port, at(readerTraits, "container", "port"));
        assertEquals(true, at(readerTraits, "service", "enabled"),
                "a self-managed Integration gets no Service otherwise");
        assertEquals(false, at(readerTraits, "service", "auto"));
        assertNotNull(at(readerTraits, "container", "limitCPU"), "Camel K's default limit is 500m");
        assertEquals(at(deployed, "resources", "limits", "memory"), at(readerTraits, "container", "limitMemory"));
        for (String probe : List.of("readiness", "liveness")) {
            assertEquals(at(deployed, probe + "Probe", "httpGet", "path"), at(readerTraits, "health", probe + "Probe"));
            assertEquals(port, at(readerTraits, "health", probe + "Port"), "Camel K main probes 8080 otherwise");
            assertEquals(true, at(readerTraits, "health", probe + "ProbeEnabled"));
        }
        assertEquals(at(yaml(KUBERNETES.resolve("archive-reader/serviceaccount.yaml")), "metadata", "name"),
                at(reader, "spec", "serviceAccountName"));
        assertEquals(null, at(readerTraits, "mount", "resources"), "the adapter's routes replace the image's");

        Map<String, String> env = new HashMap<>();
        for (Object variable : list(at(readerTraits, "environment", "vars"))) {
            String[] nameValue = ((String) variable).split("=", 2);
            env.put(nameValue[0], nameValue[1]);
        }
        assertTrue(SettingReaders.variables(Setting.Reader.ARCHIVE_READER).containsAll(env.keySet()),
                env.keySet() + " are not all settings serve-archive reads");
        assertEquals(port, ReadSettings.read(SettingsSource.environmentOnly(env)).httpPort);
    }

    /** The Integration `kamel run` makes of the script's flags, each -t value typed as the CRD types it. */
    private static Map<String, Object> kamelRun(String script) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, Object> annotations = new LinkedHashMap<>();
        Map<String, Object> spec = new LinkedHashMap<>();
        Map<String, Object> traits = new LinkedHashMap<>();
        Matcher flag = Pattern.compile("(--[a-z-]+|-t) ((?:\"[^\"]*\"|[^\"\\s])+)")
                .matcher(script.replace("\\\n", " ").replace("$(dirname \"$0\")/", ""));
        while (flag.find()) {
            String value = flag.group(2).replace("\"", "");
            switch (flag.group(1)) {
                case "--name" -> metadata.put("name", value);
                case "--image" -> trait(traits, "container").put("image", value);
                case "--service-account" -> spec.put("serviceAccountName", value);
                case "--annotation" -> annotations.put(value.split("=", 2)[0], value.split("=", 2)[1]);
                case "--pod-template" -> spec.put("template", Map.of("spec",
                        yaml(CAMEL_K.resolve(value))));
                case "-t" -> putTrait(traits, value);
                default -> throw new AssertionError("unexpected kamel flag " + flag.group(1));
            }
        }
        metadata.put("annotations", annotations);
        spec.put("traits", traits);
        Map<String, Object> integration = new LinkedHashMap<>();
        integration.put("apiVersion", "camel.apache.org/v1");
        integration.put("kind", "Integration");
        integration.put("metadata", metadata);
        integration.put("spec", spec);
        // through YAML once more, so that it compares as the manifest does (same map and list types)
        return map(new Load(LoadSettings.builder().build()).loadFromString(new org.snakeyaml.engine.v2.api.Dump(
                org.snakeyaml.engine.v2.api.DumpSettings.builder().build()).dumpToString(integration)));
    }

    /** One -t trait.kebab-key=value, as kamel maps it onto the trait's property. */
    private static void putTrait(Map<String, Object> traits, String flag) {
        String[] keyValue = flag.split("=", 2);
        String trait = keyValue[0].substring(0, keyValue[0].indexOf('.'));
        String kebab = keyValue[0].substring(trait.length() + 1);
        String definition = trait + "Trait";
        String property = SCHEMA.properties(definition).stream()
                .filter(p -> p.replaceAll("([a-z])([A-Z]+)", "$1-$2").toLowerCase().equals(kebab)).findFirst()
                .orElseThrow(() -> new AssertionError("-t " + keyValue[0] + " is no property of Camel K's " + trait));
        String value = keyValue[1];
        Map<String, Object> properties = trait(traits, trait);
        switch (SCHEMA.type(definition, property)) {
            case "array" -> ((List<Object>) properties.computeIfAbsent(property, k -> new ArrayList<>())).add(value);
            case "boolean" -> properties.put(property, Boolean.parseBoolean(value));
            case "integer" -> properties.put(property, value.matches("-?\\d+") ? (Object) Integer.valueOf(value) : value);
            default -> properties.put(property, value);
        }
    }

    private static Map<String, Object> trait(Map<String, Object> traits, String name) {
        return map(traits.computeIfAbsent(name, k -> new LinkedHashMap<>()));
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

    /** The manifest changed by one edit must be refused, with a message that names what is wrong. */
    private void assertRefused(Consumer<Map<String, Object>> edit, String... words) throws IOException {
        Map<String, Object> changed = yaml(CAMEL_K.resolve("integration.yaml"));
        edit.accept(changed);
        String errors = String.join("\n", SCHEMA.errors(changed));
        for (String word : words) {
            assertTrue(errors.contains(word), "expected a refusal naming '" + word + "', got: " + errors);
        }
    }
}
