package io.github.promkinesis;

import static io.github.promkinesis.DeployYaml.list;
import static io.github.promkinesis.DeployYaml.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CloudFormation template (as {@link DeployYaml#cloudFormation} reads it) as CloudFormation creates it with
 * some parameter values: conditions evaluated, resources and outputs whose condition is false left out, each
 * {@code Fn::If} replaced by its branch, {@code AWS::NoValue} dropped. cfn-lint checks a template, not what a
 * choice of values makes of it; this is what lets a test look at each choice.
 */
final class CreatedTemplate {

    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB_NAME = Pattern.compile("\\$\\{([^!}][^}.]*)(\\.[^}]*)?}");

    private final Map<String, Object> template;
    private final Map<String, String> values = new LinkedHashMap<>();

    private CreatedTemplate(Map<String, Object> template, Map<String, String> given) {
        this.template = template;
        Map<String, Object> parameters = map(template.getOrDefault("Parameters", Map.of()));
        given.keySet().stream().filter(name -> !parameters.containsKey(name)).findAny().ifPresent(name -> {
            throw new IllegalArgumentException(name + " is no parameter");
        });
        parameters.forEach((name, declared) -> {
            Object value = given.containsKey(name) ? given.get(name) : map(declared).get("Default");
            Object allowed = map(declared).get("AllowedValues");
            if (value != null && allowed != null && !list(allowed).contains(value)) {
                throw new IllegalArgumentException(name + "=" + value + " is not one of " + allowed);
            }
            values.put(name, (String) value);
        });
    }

    /** The resources and outputs {@code template} makes with these values, the others at their defaults. */
    static Map<String, Object> created(Map<String, Object> template, Map<String, String> values) {
        return new CreatedTemplate(template, values).created();
    }

    private Map<String, Object> created() {
        Map<String, Object> out = new LinkedHashMap<>(template);
        for (String section : List.of("Resources", "Outputs")) {
            Map<String, Object> kept = new LinkedHashMap<>();
            map(template.getOrDefault(section, Map.of())).forEach((name, item) -> {
                Object condition = map(item).get("Condition");
                if (condition == null || holds((String) condition)) {
                    kept.put(name, resolve(item));
                }
            });
            out.put(section, kept);
        }
        return out;
    }

    private boolean holds(String condition) {
        Object node = map(template.getOrDefault("Conditions", Map.of())).get(condition);
        if (node == null) {
            throw new IllegalArgumentException("no condition " + condition);
        }
        return (Boolean) evaluate(node);
    }

    private Object evaluate(Object node) {
        if (!(node instanceof Map<?, ?>)) {
            return node;
        }
        Map.Entry<String, Object> function = map(node).entrySet().iterator().next();
        Object args = function.getValue();
        return switch (function.getKey()) {
            case "Ref" -> values.get((String) args);
            case "Condition" -> holds((String) args);
            case "Fn::Equals" -> evaluate(list(args).get(0)).equals(evaluate(list(args).get(1)));
            case "Fn::Not" -> !(Boolean) evaluate(list(args).get(0));
            case "Fn::And" -> list(args).stream().allMatch(a -> (Boolean) evaluate(a));
            case "Fn::Or" -> list(args).stream().anyMatch(a -> (Boolean) evaluate(a));
            default -> throw new IllegalArgumentException(function.getKey() + " in a condition");
        };
    }

    private Object resolve(Object node) {
        if (node instanceof List<?> items) {
            List<Object> out = new ArrayList<>();
            items.stream().map(this::resolve).filter(item -> item != NO_VALUE).forEach(out::add);
            return out;
        }
        if (!(node instanceof Map<?, ?>)) {
            return node;
        }
        Map<String, Object> tree = map(node);
        if (tree.size() == 1 && tree.containsKey("Fn::If")) {
            List<Object> args = list(tree.get("Fn::If"));
            return resolve(holds((String) args.get(0)) ? args.get(1) : args.get(2));
        }
        if (tree.size() == 1 && "AWS::NoValue".equals(tree.get("Ref"))) {
            return NO_VALUE;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        tree.forEach((key, value) -> {
            Object resolved = resolve(value);
            if (resolved != NO_VALUE) {
                out.put(key, resolved);
            }
        });
        return out;
    }

    /** The names a created template refers to (Ref, Fn::GetAtt, Fn::Sub) that are neither its resources nor its parameters. */
    static Set<String> unknownReferences(Map<String, Object> created) {
        Set<String> known = new java.util.HashSet<>(map(created.get("Resources")).keySet());
        known.addAll(map(created.getOrDefault("Parameters", Map.of())).keySet());
        Set<String> unknown = new java.util.TreeSet<>();
        collectReferences(created.get("Resources"), unknown);
        collectReferences(created.get("Outputs"), unknown);
        unknown.removeIf(name -> known.contains(name) || name.startsWith("AWS::"));
        return unknown;
    }

    private static void collectReferences(Object node, Set<String> names) {
        if (node instanceof List<?> items) {
            items.forEach(item -> collectReferences(item, names));
        } else if (node instanceof Map<?, ?>) {
            map(node).forEach((key, value) -> {
                switch (key) {
                    case "Ref" -> names.add((String) value);
                    case "Fn::GetAtt" -> names.add(value instanceof String s ? s.split("\\.")[0] : (String) list(value).get(0));
                    case "Fn::Sub" -> {
                        Object text = value instanceof String ? value : list(value).get(0);
                        Matcher names1 = SUB_NAME.matcher((String) text);
                        while (names1.find()) {
                            names.add(names1.group(1));
                        }
                        if (value instanceof List<?>) {
                            collectReferences(list(value).get(1), names);
                        }
                    }
                    default -> collectReferences(value, names);
                }
            });
        }
    }
}
