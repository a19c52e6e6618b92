package io.github.promkinesis;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reading the deployment files the way a cluster would: YAML trees and properties, nothing more. */
final class DeployYaml {

    private DeployYaml() {
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }

    /**
     * A CloudFormation template as its JSON form: {@code !Sub x} is {@code {"Fn::Sub": x}}, {@code !Ref x}
     * {@code {"Ref": x}} (plain YAML loading refuses the short forms' tags); every scalar a string.
     */
    static Map<String, Object> cloudFormation(String text) {
        return map(plain(new Compose(LoadSettings.builder().build()).composeString(text).orElseThrow()));
    }

    private static Object plain(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
            value = scalar.getValue();
        } else if (node instanceof SequenceNode sequence) {
            value = sequence.getValue().stream().map(DeployYaml::plain).toList();
        } else {
            Map<String, Object> entries = new LinkedHashMap<>();
            for (NodeTuple entry : ((MappingNode) node).getValue()) {
                entries.put((String) plain(entry.getKeyNode()), plain(entry.getValueNode()));
            }
            value = entries;
        }
        String tag = node.getTag().getValue();
        if (!tag.startsWith("!")) {
            return value;
        }
        return Map.of(tag.equals("!Ref") || tag.equals("!Condition") ? tag.substring(1) : "Fn::" + tag.substring(1), value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return new ArrayList<>((List<Object>) node);
    }

    /** Follows a path of keys through nested maps. */
    static Object at(Map<String, Object> tree, String... keys) {
        Object node = tree;
        for (String key : keys) {
            node = map(node).get(key);
        }
        return node;
    }

    static Properties properties(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }

    static Properties settings() throws IOException {
        return properties(Files.readString(Path.of("application.properties")));
    }
}
