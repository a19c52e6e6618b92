package io.github.promkinesis;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reading the deployment files the way a cluster would: YAML trees and properties, nothing more. */
final class DeployYaml {

    private DeployYaml() {
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
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
