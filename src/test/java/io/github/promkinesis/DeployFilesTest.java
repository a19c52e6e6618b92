package io.github.promkinesis;

import static io.github.promkinesis.DeployYaml.at;
import static io.github.promkinesis.DeployYaml.list;
import static io.github.promkinesis.DeployYaml.map;
import static io.github.promkinesis.DeployYaml.properties;
import static io.github.promkinesis.DeployYaml.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.ReadSettings;
import io.github.promkinesis.config.RestoreSettings;
import io.github.promkinesis.config.Setting;
import io.github.promkinesis.config.SettingReaders;
import io.github.promkinesis.config.SettingsSource;
import io.github.promkinesis.kinesis.firehose.RetryingFirehoseClient;
import io.github.promkinesis.kinesis.streams.RetryingKinesisClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;

/**
 * No cluster runs here: the deployment files are checked against the project instead. They must parse, and
 * name only ports, paths, files and settings that exist, with the very route in routes/.
 */
class DeployFilesTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path ARCHIVE_READER = KUBERNETES.resolve("archive-reader");
    private static final Path CHART = Path.of("deploy/helm/prometheus-remote-kinesis");
    private static final Path TEMPLATE = Path.of("deploy/aws/cloudformation.yaml");
    /** Hive's type of each Parquet type docs/format.md names for a compacted column. */
    private static final Map<String, String> HIVE_TYPES = Map.of("string", "string", "INT64", "bigint",
            "DOUBLE", "double", "boolean", "boolean", "map<string,string>", "map<string,string>");

    private final Properties settings = DeployYaml.settings();
    private final Map<String, Map<String, Object>> manifests = manifests();

    DeployFilesTest() throws IOException {
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        // the archive reader's directory is an optional overlay of its own, not listed (docs/deployment.md)
        for (Path directory : List.of(KUBERNETES, ARCHIVE_READER)) {
            List<Object> resources = list(yaml(directory.resolve("kustomization.yaml")).get("resources"));
            Set<String> manifestFiles;
            try (Stream<Path> files = Files.list(directory)) {
                manifestFiles = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(f -> !f.equals("kustomization.yaml") && !f.equals("prometheus-remote-write.yaml"))
                        .collect(Collectors.toSet());
            }
            assertEquals(manifestFiles, Set.copyOf(resources), directory.toString());
        }
    }

    @Test
    void theConfigMapCarriesTheRoutesOfTheProjectUnchangedAndOnlyKnownSettings() throws IOException {
        Map<String, Object> data = map(manifests.get("ConfigMap").get("data"));
        Map<String, Object> pod = map(map(map(manifests.get("Deployment").get("spec")).get("template")).get("spec"));
        Set<Object> mounted = list(pod.get("volumes")).stream().map(DeployYaml::map)
                .filter(v -> v.get("name").equals("routes"))
                .flatMap(v -> list(map(v.get("configMap")).get("items")).stream())
                .map(item -> map(item).get("path")).collect(Collectors.toSet());

        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            List<Path> files = routes.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertTrue(files.size() >= 2, "routes/ holds the flow and its extension point");
            for (Path route : files) {
                String name = route.getFileName().toString();
                // bin/sync-deploy writes the text; this shows that its embedding parses back to the very file
                assertEquals(Files.readString(route), data.get(name), name + " differs from the ConfigMap's");
                assertTrue(mounted.contains(name), name + " is not mounted");
            }
        }
        Properties overrides = properties((String) data.get("application.properties"));
        assertTrue(settings.keySet().containsAll(overrides.keySet()), "unknown keys in " + overrides.keySet());
    }

    @Test
    void theHelmChartSetsOnlySettingsOfTheProject() throws IOException {
        // its copies of the routes and alerts are bin/sync-deploy's, checked by DeployCopiesTest
        Path chart = Path.of("deploy/helm/prometheus-remote-kinesis");
        Map<String, Object> values = DeployYaml.yaml(chart.resolve("values.yaml"));
        Set<String> known = settings.stringPropertyNames().stream().map(SettingsSource::environmentName)
                .collect(Collectors.toSet());
        for (String section : List.of("env", "secretEnv")) {
            map(values.get(section)).keySet().forEach(name -> assertTrue(known.contains(name), name + " is no setting"));
        }
        Map<String, Object> allOn = DeployYaml.yaml(chart.resolve("ci/all-on-values.yaml"));
        assertTrue(map(allOn.get("secretEnv")).keySet().stream().allMatch(name -> name.startsWith("AUTH_")),
                "only credentials go through the Secret");
        assertTrue(settings.keySet().containsAll(properties((String) values.get("settings")).keySet()),
                "unknown keys in the chart's settings");
    }

    @Test
    void theChartsCompactionSetsOnlySettingsTheCompactCommandAccepts() throws IOException {
        // the command line itself is run as rendered by DeploymentChecksIT, which has helm
        for (Path values : List.of(CHART.resolve("values.yaml"), CHART.resolve("ci/all-on-values.yaml"))) {
            Map<String, String> env = new HashMap<>();
            map(at(yaml(values), "compaction", "env")).forEach((name, value) -> env.put(name, String.valueOf(value)));
            assertEquals(List.of(), compactionSettingProblems(env), values.toString());
        }
        assertEquals(List.of("COMPACT_GRACE_HOURS is no setting"),
                compactionSettingProblems(Map.of("COMPACT_GRACE_HOURS", "3")));
        assertTrue(compactionSettingProblems(Map.of("COMPACT_GRACE", "3 hours")).toString().contains("COMPACT_GRACE"));
    }

    @Test
    void theCompactedGlueTableHasTheDocumentedColumnsAndLayout() throws IOException {
        String template = Files.readString(TEMPLATE);
        List<String> documented = documentedCompactedColumns();

        assertTrue(documented.size() >= 8, documented.toString());
        assertEquals(documented, compactedTableColumns(template));
        Map<String, Object> table = map(at(DeployYaml.cloudFormation(template), "Resources", "CompactedGlueTable",
                "Properties", "TableInput"));
        assertEquals("yyyy-MM-dd", at(table, "Parameters", "projection.dt.format"));
        assertEquals("s3://${Bucket}/${CompactedPrefix}dt=${!dt}/",
                at(table, "Parameters", "storage.location.template", "Fn::Sub"), "DEST/dt=YYYY-MM-DD/ (docs/format.md)");

        String broken = template.replace("{Name: series_id, Type: bigint}", "{Name: series_id, Type: int}");
        assertNotEquals(template, broken);
        assertNotEquals(documented, compactedTableColumns(broken));
    }

    @Test
    void theDeploymentNamesPortsProbesSettingsAndMountsThatExist() throws IOException {
        Map<String, Object> pod = map(map(map(manifests.get("Deployment").get("spec")).get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        Map<String, String> env = new HashMap<>();
        list(container.get("env")).forEach(e -> env.put((String) map(e).get("name"), (String) map(e).get("value")));

        Set<String> known = settings.stringPropertyNames().stream().map(SettingsSource::environmentName)
                .collect(Collectors.toSet());
        for (String variable : env.keySet()) {
            assertTrue(known.contains(variable), variable + " is no setting of application.properties");
        }
        int port = (Integer) map(list(container.get("ports")).get(0)).get("containerPort");
        assertEquals(Integer.parseInt(settings.getProperty("http.port")), port);
        assertEquals(String.valueOf(port), env.get("HTTP_PORT"));
        assertTrue(Files.readString(Path.of("Dockerfile")).contains("EXPOSE " + port));
        assertEquals("http", map(list(map(manifests.get("Service").get("spec")).get("ports")).get(0)).get("targetPort"));

        assertEquals("/observe/health/ready", map(map(container.get("readinessProbe")).get("httpGet")).get("path"));
        assertEquals("/observe/health/live", map(map(container.get("livenessProbe")).get("httpGet")).get("path"));
        assertTrue((Integer) pod.get("terminationGracePeriodSeconds")
                > Integer.parseInt(settings.getProperty("camel.main.shutdown-timeout")), "grace above the drain");

        String dockerfile = Files.readString(Path.of("Dockerfile"));
        for (Object mount : list(container.get("volumeMounts"))) {
            String path = (String) map(mount).get("mountPath");
            assertTrue(path.equals("/tmp") || dockerfile.contains(" " + path + "\n"), path + " is not in the image");
        }
        assertTrue(map(map(manifests.get("ServiceAccount").get("metadata")).get("annotations"))
                .containsKey("eks.amazonaws.com/role-arn"), "IRSA role annotation");
    }

    @Test
    void thePrometheusSnippetPointsAtTheServiceAndARouteThatExists() throws IOException {
        String url = (String) map(list(yaml(KUBERNETES.resolve("prometheus-remote-write.yaml")).get("remote_write"))
                .get(0)).get("url");
        String service = (String) map(manifests.get("Service").get("metadata")).get("name");

        assertTrue(url.startsWith("http://" + service + "."), url);
        assertTrue(url.endsWith(":" + settings.getProperty("http.port") + "/receive"), url);
        assertTrue(Files.readString(Path.of("routes/remote-write.yaml")).contains("platform-http:/receive"));
    }

    @Test
    void theChartsArchiveReaderSetsOnlySettingsServeArchiveReadsAndAccepts() throws IOException {
        // the rendered Deployment (with the adapter's region and tenant settings) is checked by DeploymentChecksIT
        for (Path values : List.of(CHART.resolve("values.yaml"), CHART.resolve("ci/all-on-values.yaml"))) {
            Map<String, Object> reader = map(yaml(values).get("archiveReader"));
            Map<String, String> env = new HashMap<>();
            map(reader.get("env")).forEach((name, value) -> env.put(name, String.valueOf(value)));
            assertEquals(List.of(), readSettingProblems(env), values.toString());
            Object secretEnv = reader.get("secretEnv");
            if (secretEnv != null) {
                assertTrue(map(secretEnv).keySet().stream().allMatch(name -> name.startsWith("AUTH_")),
                        "only credentials go through the Secret");
            }
        }
        assertEquals(List.of("STREAM_NAME is not read by serve-archive"),
                readSettingProblems(Map.of("STREAM_NAME", "metrics-archive")));
        assertTrue(readSettingProblems(Map.of("READ_TIMEOUT", "soon")).toString().contains("READ_TIMEOUT"));
    }

    /**
     * deploy/kubernetes/archive-reader: serve-archive by the image's ENTRYPOINT, on its own pods (neither the
     * adapter's Service nor its PodDisruptionBudget selects them, nor their Service the adapter's), with settings
     * the command reads and accepts, its health endpoint, no routes mounted over the image's, and the service
     * account the stack's ArchiveReaderRole trusts by default.
     */
    @Test
    void theArchiveReaderManifestsRunServeArchiveOnTheirOwnPods() throws IOException {
        Map<String, Object> deployment = yaml(ARCHIVE_READER.resolve("deployment.yaml"));
        Map<String, Object> service = yaml(ARCHIVE_READER.resolve("service.yaml"));
        Map<String, Object> account = yaml(ARCHIVE_READER.resolve("serviceaccount.yaml"));
        Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        List<Object> args = list(container.get("args"));

        assertEquals(null, container.get("command"), "the image's ENTRYPOINT runs the jar");
        assertEquals(3, args.size(), args.toString());
        assertEquals(List.of("serve-archive", "--from"), args.subList(0, 2));
        assertTrue(((String) args.get(2)).matches("s3://[a-z0-9.-]+/([^/]+/)*"), args.toString());

        Map<String, String> env = new HashMap<>();
        list(container.get("env")).forEach(e -> env.put((String) map(e).get("name"), (String) map(e).get("value")));
        assertEquals(List.of(), readSettingProblems(env));
        int port = (Integer) map(list(container.get("ports")).get(0)).get("containerPort");
        assertEquals(Integer.parseInt(settings.getProperty("http.port")), port);
        assertEquals(String.valueOf(port), env.get("HTTP_PORT"));
        assertEquals("http", map(list(at(service, "spec", "ports")).get(0)).get("targetPort"));
        assertEquals("/observe/health", at(container, "readinessProbe", "httpGet", "path"));
        assertEquals("/observe/health", at(container, "livenessProbe", "httpGet", "path"));
        assertEquals(List.of("/tmp"), list(container.get("volumeMounts")).stream()
                .map(mount -> map(mount).get("mountPath")).toList(),
                "the image's routes and settings, not the adapter's");

        Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
        Map<String, Object> adapterPodLabels = map(at(manifests.get("Deployment"), "spec", "template", "metadata",
                "labels"));
        assertTrue(selects(map(at(service, "spec", "selector")), podLabels));
        assertTrue(selects(map(at(deployment, "spec", "selector", "matchLabels")), podLabels));
        assertFalse(selects(map(at(manifests.get("Service"), "spec", "selector")), podLabels));
        assertFalse(selects(map(at(manifests.get("PodDisruptionBudget"), "spec", "selector", "matchLabels")),
                podLabels));
        assertFalse(selects(map(at(service, "spec", "selector")), adapterPodLabels));

        assertEquals(at(account, "metadata", "name"), pod.get("serviceAccountName"));
        assertTrue(map(at(account, "metadata", "annotations")).containsKey("eks.amazonaws.com/role-arn"));
        assertEquals(at(account, "metadata", "name"), at(DeployYaml.cloudFormation(Files.readString(TEMPLATE)),
                "Parameters", "ArchiveReaderServiceAccountName", "Default"));
    }

    @Test
    void theArchiveReaderRoleOnlyListsAndReadsTheCompactedDays() throws IOException {
        String template = Files.readString(TEMPLATE);
        assertEquals(List.of(), archiveReaderRoleProblems(template));

        String getObject = "                Action: s3:GetObject\n"
                + "                Resource: !Sub \"${Bucket.Arn}/${CompactedPrefix}*\"\n";
        String writes = template.replace(getObject, getObject.replace("s3:GetObject", "[s3:GetObject, s3:PutObject]"));
        assertNotEquals(template, writes);
        assertEquals(List.of("[s3:GetObject, s3:PutObject] on ${Bucket.Arn}/${CompactedPrefix}*"),
                archiveReaderRoleProblems(writes));

        String listsAll = template.replace("                Condition:\n                  StringLike:\n"
                + "                    s3:prefix: !Sub \"${CompactedPrefix}*\"\n", "");
        assertNotEquals(template, listsAll);
        assertEquals(List.of("s3:ListBucket not confined to ${CompactedPrefix}*"), archiveReaderRoleProblems(listsAll));
    }

    @Test
    void eachDeliverySourceMakesWhatItsPathNeedsAndTheAdapterRoleAllowsOnlyWhatItsClientCalls() throws IOException {
        Map<String, Object> template = DeployYaml.cloudFormation(Files.readString(TEMPLATE));
        Map<String, Object> kinesis = CreatedTemplate.created(template, Map.of());
        Map<String, Object> directPut = CreatedTemplate.created(template, Map.of("DeliverySource", "DirectPut"));
        assertEquals(kinesis, CreatedTemplate.created(template, Map.of("DeliverySource", "KinesisStream")),
                "KinesisStream is the default");

        assertEquals(List.of(), deliverySourceProblems(kinesis, "KinesisStream"));
        assertEquals(List.of(), deliverySourceProblems(directPut, "DirectPut"));
        // the rest of the stack is the same whichever the source
        for (String shared : List.of("Bucket", "GlueDatabase", "GlueTable", "CompactedGlueTable", "CompactionRole",
                "ArchiveReaderRole", "FirehoseLogGroup", "FirehoseLogStream")) {
            assertEquals(at(kinesis, "Resources", shared), at(directPut, "Resources", shared), shared);
        }
        assertEquals(at(kinesis, "Resources", "DeliveryStream", "Properties", "ExtendedS3DestinationConfiguration"),
                at(directPut, "Resources", "DeliveryStream", "Properties", "ExtendedS3DestinationConfiguration"));

        // refused: a value outside the allowed ones, a Direct PUT adapter that may also write a Kinesis stream
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CreatedTemplate.created(template,
                Map.of("DeliverySource", "Firehose"))).getMessage().contains("DeliverySource=Firehose"));
        String text = Files.readString(TEMPLATE);
        String firehoseActions = "[firehose:PutRecordBatch, firehose:DescribeDeliveryStream]";
        String broken = text.replace(firehoseActions, "[firehose:PutRecordBatch, firehose:DescribeDeliveryStream, kinesis:PutRecords]");
        assertNotEquals(text, broken);
        assertEquals(List.of("AdapterRole allows [firehose:PutRecordBatch, firehose:DescribeDeliveryStream, "
                        + "kinesis:PutRecords] on {Fn::GetAtt=DeliveryStream.Arn}",
                        "kinesis: in the Direct PUT stack: [AdapterRole]"),
                deliverySourceProblems(CreatedTemplate.created(DeployYaml.cloudFormation(broken),
                        Map.of("DeliverySource", "DirectPut")), "DirectPut"));
        // refused: the Firehose stream still reading a Kinesis stream the Direct PUT stack does not make
        String source = "      KinesisStreamSourceConfiguration: !If\n        - FromKinesisStream\n";
        String unconditional = text.replace(source, "      KinesisStreamSourceConfiguration: !If\n        - Parquet\n");
        assertNotEquals(text, unconditional);
        assertTrue(deliverySourceProblems(CreatedTemplate.created(DeployYaml.cloudFormation(unconditional),
                Map.of("DeliverySource", "DirectPut", "ParquetConversion", "true")), "DirectPut")
                .contains("refers to what it does not make: [Stream]"));
    }

    /**
     * What a stack created with this DeliverySource makes beyond its path, or lets the adapter do beyond what its
     * client calls: RetryingKinesisClient's or RetryingFirehoseClient's operations (the route's and the
     * readiness check's calls), on the one stream.
     */
    private static List<String> deliverySourceProblems(Map<String, Object> created, String source) {
        boolean directPut = source.equals("DirectPut");
        List<String> problems = new ArrayList<>();
        Map<String, Object> resources = map(created.get("Resources"));
        Set<String> unknown = CreatedTemplate.unknownReferences(created);
        if (!unknown.isEmpty()) {
            problems.add("refers to what it does not make: " + unknown);
        }
        Class<?> client = directPut ? RetryingFirehoseClient.class : RetryingKinesisClient.class;
        List<String> calls = Arrays.stream(client.getDeclaredMethods())
                .filter(m -> m.getParameterCount() == 1 && SdkRequest.class.isAssignableFrom(m.getParameterTypes()[0]))
                .map(m -> (directPut ? "firehose:" : "kinesis:") + Character.toUpperCase(m.getName().charAt(0))
                        + m.getName().substring(1))
                .sorted().toList();
        Map<String, String> arn = Map.of("Fn::GetAtt", directPut ? "DeliveryStream.Arn" : "Stream.Arn");
        List<Object> policies = list(at(resources, "AdapterRole", "Properties", "Policies"));
        for (Object policy : policies) {
            for (Object each : list(at(map(policy), "PolicyDocument", "Statement"))) {
                Map<String, Object> statement = map(each);
                List<Object> actions = statement.get("Action") instanceof List<?> l ? list(l) : List.of(statement.get("Action"));
                if (!"Allow".equals(statement.get("Effect")) || !arn.equals(statement.get("Resource"))
                        || !calls.equals(actions.stream().map(String::valueOf).sorted().toList())) {
                    problems.add("AdapterRole allows " + statement.get("Action") + " on " + statement.get("Resource"));
                }
            }
        }
        if (policies.size() != 1) {
            problems.add("AdapterRole has " + policies.size() + " policies");
        }
        Map<String, Object> delivery = map(at(resources, "DeliveryStream", "Properties"));
        if (!(directPut ? "DirectPut" : "KinesisStreamAsSource").equals(delivery.get("DeliveryStreamType"))
                || directPut == delivery.containsKey("KinesisStreamSourceConfiguration")) {
            problems.add("DeliveryStream is " + delivery.get("DeliveryStreamType") + ", source "
                    + delivery.get("KinesisStreamSourceConfiguration"));
        }
        List<String> kinesisResources = resources.entrySet().stream()
                .filter(e -> String.valueOf(map(e.getValue()).get("Type")).startsWith("AWS::Kinesis::"))
                .map(Map.Entry::getKey).toList();
        if (directPut == !kinesisResources.isEmpty()) {
            problems.add("Kinesis resources: " + kinesisResources);
        }
        if (directPut) {
            List<String> grantingKinesis = resources.entrySet().stream()
                    .filter(e -> String.valueOf(e.getValue()).contains("kinesis:")).map(Map.Entry::getKey).toList();
            if (!grantingKinesis.isEmpty()) {
                problems.add("kinesis: in the Direct PUT stack: " + grantingKinesis);
            }
        }
        Map<String, Object> outputs = map(created.get("Outputs"));
        if (!(directPut ? "firehose" : "kinesis").equals(at(outputs, "Sink", "Value"))
                || directPut == outputs.containsKey("StreamName") || !outputs.containsKey("DeliveryStreamName")) {
            problems.add("outputs " + outputs.keySet() + ", Sink " + at(outputs, "Sink", "Value"));
        }
        return problems;
    }

    /** What lets ArchiveReaderRole do more than list and read the compacted prefix, or lets another assume it. */
    private static List<String> archiveReaderRoleProblems(String template) {
        Map<String, Object> role = map(at(DeployYaml.cloudFormation(template), "Resources", "ArchiveReaderRole",
                "Properties"));
        List<String> problems = new ArrayList<>();
        String trust = (String) at(role, "AssumeRolePolicyDocument", "Fn::Sub");
        String trusted = "system:serviceaccount:${ServiceAccountNamespace}:${ArchiveReaderServiceAccountName}";
        if (!trust.contains("\"" + trusted + "\"")) {
            problems.add("trusts another service account");
        }
        List<Object> policies = list(role.get("Policies"));
        if (policies.size() != 1 || role.containsKey("ManagedPolicyArns")) {
            problems.add("policies beyond read-compacted");
        }
        for (Object each : list(at(map(policies.get(0)), "PolicyDocument", "Statement"))) {
            Map<String, Object> statement = map(each);
            Object action = statement.get("Action");
            if (!"Allow".equals(statement.get("Effect"))) {
                problems.add("a statement other than Allow");
            } else if ("s3:ListBucket".equals(action)) {
                Object condition = statement.get("Condition");
                Object prefix = condition == null ? null : at(map(condition), "StringLike", "s3:prefix", "Fn::Sub");
                if (!Map.of("Fn::GetAtt", "Bucket.Arn").equals(statement.get("Resource"))
                        || !"${CompactedPrefix}*".equals(prefix)) {
                    problems.add("s3:ListBucket not confined to ${CompactedPrefix}*");
                }
            } else if (!"s3:GetObject".equals(action)
                    || !Map.of("Fn::Sub", "${Bucket.Arn}/${CompactedPrefix}*").equals(statement.get("Resource"))) {
                problems.add(action + " on " + at(map(statement.get("Resource")), "Fn::Sub"));
            }
        }
        return problems;
    }

    /** Whether a selector's labels are all among the pod's. */
    private static boolean selects(Map<String, Object> selector, Map<String, Object> podLabels) {
        return podLabels.entrySet().containsAll(selector.entrySet());
    }

    /** What serve-archive does not read, or refuses, in {@code env}. */
    private static List<String> readSettingProblems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Set<String> read = SettingReaders.variables(Setting.Reader.ARCHIVE_READER);
        env.keySet().stream().filter(name -> !read.contains(name)).sorted()
                .forEach(name -> problems.add(name + " is not read by serve-archive"));
        try {
            ReadSettings.read(SettingsSource.environmentOnly(env));
        } catch (InvalidSettingException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** What is no setting, or what the compact command refuses (it reads the restore's settings), in {@code env}. */
    private static List<String> compactionSettingProblems(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        env.keySet().stream().filter(name -> Arrays.stream(Setting.values()).noneMatch(s -> s.name().equals(name)))
                .forEach(name -> problems.add(name + " is no setting"));
        try {
            RestoreSettings.read(SettingsSource.environmentOnly(env));
        } catch (InvalidSettingException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** The rows of docs/format.md's table of compacted columns, "name hive-type" each. */
    private static List<String> documentedCompactedColumns() throws IOException {
        String docs = Files.readString(Path.of("docs/format.md"));
        String section = docs.substring(docs.indexOf("\n## Compacted days"));
        int end = section.indexOf("\n## ", 1);
        section = end < 0 ? section : section.substring(0, end);
        List<String> columns = new ArrayList<>();
        for (String row : section.lines().filter(line -> line.startsWith("| `")).toList()) {
            String[] cells = row.split("\\|");
            String parquet = cells[2].replace("`", "").trim().replaceFirst(", required$", "");
            columns.add(cells[1].replace("`", "").trim() + " " + HIVE_TYPES.getOrDefault(parquet, "? " + parquet));
        }
        return columns;
    }

    /** The columns of the template's compacted table, "name type" each. */
    private static List<String> compactedTableColumns(String template) {
        return list(at(DeployYaml.cloudFormation(template), "Resources", "CompactedGlueTable", "Properties",
                "TableInput", "StorageDescriptor", "Columns")).stream()
                .map(column -> map(column).get("Name") + " " + map(column).get("Type")).toList();
    }

    private static Map<String, Map<String, Object>> manifests() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("kustomization")
                    && !f.getFileName().toString().startsWith("prometheus-")).toList()) {
                Map<String, Object> manifest = yaml(file);
                byKind.put((String) manifest.get("kind"), manifest);
            }
        }
        return byKind;
    }
}
