package io.github.promkinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A strict JSON schema of the project's (src/test/resources/schemas), applied to a YAML tree. */
final class DeploySchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;
    private final JsonNode tree;

    DeploySchema(String resource) {
        try (InputStream in = DeploySchema.class.getResourceAsStream("/schemas/" + resource)) {
            tree = JSON.readTree(in);
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the schema refuses in the document, one message each; empty when it is valid. */
    List<String> errors(Map<String, Object> document) {
        return schema.validate(JSON.valueToTree(document)).stream().map(ValidationMessage::getMessage).sorted()
                .toList();
    }

    /** The property names a definition of the schema lists. */
    List<String> properties(String definition) {
        List<String> names = new ArrayList<>();
        tree.path("definitions").path(definition).path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The JSON type the schema gives a property of a definition, e.g. ("healthTrait", "readinessPort"). */
    String type(String definition, String property) {
        JsonNode type = tree.path("definitions").path(definition).path("properties").path(property).path("type");
        if (type.isMissingNode()) {
            throw new IllegalArgumentException(definition + "." + property + " is not in the schema");
        }
        return type.isArray() ? type.get(0).asText() : type.asText();
    }
}
