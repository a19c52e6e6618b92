package io.github.promkinesis.read;

import io.github.promkinesis.protocol.InvalidRequestException;
import io.github.promkinesis.protocol.prompb.LabelMatcher;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A query's label matchers with Prometheus' meaning: {@code =~} and {@code !~} match the whole value, {@code .}
 * matching a newline too ({@code ^(?s:RE)$}); a label the series lacks has the value "". Java's regular
 * expressions read RE2's syntax alike for what PromQL users write; one Java refuses is a 400 naming it.
 */
final class SeriesMatcher {

    private final String[] names;
    private final LabelMatcher.Type[] types;
    private final String[] values;
    private final Pattern[] patterns;

    private SeriesMatcher(List<LabelMatcher> matchers) {
        int count = matchers.size();
        names = new String[count];
        types = new LabelMatcher.Type[count];
        values = new String[count];
        patterns = new Pattern[count];
        for (int i = 0; i < count; i++) {
            LabelMatcher matcher = matchers.get(i);
            names[i] = matcher.getName();
            types[i] = matcher.getType();
            values[i] = matcher.getValue();
            switch (matcher.getType()) {
                case EQ, NEQ -> { }
                case RE, NRE -> {
                    try {
                        patterns[i] = Pattern.compile("(?s:" + matcher.getValue() + ")");
                    } catch (PatternSyntaxException e) {
                        throw new InvalidRequestException("matcher " + matcher.getName() + "=~\"" + matcher.getValue()
                                + "\": not a regular expression: " + e.getDescription());
                    }
                }
                default -> throw new InvalidRequestException("matcher on " + matcher.getName() + ": unknown type "
                        + matcher.getTypeValue());
            }
        }
    }

    static SeriesMatcher of(List<LabelMatcher> matchers) {
        return new SeriesMatcher(matchers);
    }

    /** Whether a series with these labels (names sorted, each once) is selected by every matcher. */
    boolean matches(String[] labelNames, String[] labelValues) {
        for (int i = 0; i < names.length; i++) {
            String value = value(labelNames, labelValues, names[i]);
            boolean match = switch (types[i]) {
                case EQ -> value.equals(values[i]);
                case NEQ -> !value.equals(values[i]);
                case RE -> patterns[i].matcher(value).matches();
                case NRE -> !patterns[i].matcher(value).matches();
                default -> false;
            };
            if (!match) {
                return false;
            }
        }
        return true;
    }

    /** The value of an equality matcher on {@code name}, or null: days' series are found by the metric name first. */
    String equalTo(String name) {
        for (int i = 0; i < names.length; i++) {
            if (types[i] == LabelMatcher.Type.EQ && names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    private static String value(String[] labelNames, String[] labelValues, String name) {
        for (int i = 0; i < labelNames.length; i++) {
            if (labelNames[i].equals(name)) {
                return labelValues[i];
            }
        }
        return "";
    }
}
