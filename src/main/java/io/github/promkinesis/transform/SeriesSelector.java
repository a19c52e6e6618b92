package io.github.promkinesis.transform;

import io.github.promkinesis.protocol.SeriesLabels;
import io.github.promkinesis.protocol.prompb.Label;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A PromQL series selector, {@code metric{label="v",other=~"re"}} or {@code {__name__="up",job!~"x.*"}}: every
 * matcher must hold (=, !=, =~, !~; regular expressions match the whole value; a missing label is "").
 */
public final class SeriesSelector {

    private final List<Matcher> matchers;

    private SeriesSelector(List<Matcher> matchers) {
        this.matchers = matchers;
    }

    public boolean matches(List<Label> labels) {
        for (Matcher matcher : matchers) {
            if (!matcher.matches(SeriesLabels.value(labels, matcher.label))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the selector's metric name matchers accept this name, for what belongs to a metric rather than to
     * one of its series (metadata): it has no other labels to match.
     */
    public boolean matchesName(String metricName) {
        for (Matcher matcher : matchers) {
            if (matcher.label.equals(SeriesLabels.METRIC_NAME) && !matcher.matches(metricName)) {
                return false;
            }
        }
        return true;
    }

    /** Parses a selector; a malformed one is an {@link IllegalArgumentException} saying where. */
    public static SeriesSelector parse(String text) {
        Parser parser = new Parser(text.trim());
        List<Matcher> matchers = new ArrayList<>();
        String metric = parser.name();
        if (!metric.isEmpty()) {
            matchers.add(new Matcher("__name__", "=", metric));
        }
        if (parser.accept('{')) {
            while (!parser.accept('}')) {
                String label = parser.name();
                if (label.isEmpty()) {
                    throw parser.error("a label name");
                }
                String operator = parser.operator();
                matchers.add(new Matcher(label, operator, parser.quoted()));
                if (!parser.accept(',') && !parser.peek('}')) {
                    throw parser.error("',' or '}'");
                }
            }
        }
        if (!parser.atEnd() || matchers.isEmpty()) {
            throw parser.error(matchers.isEmpty() ? "a metric name or {matchers}" : "the end");
        }
        return new SeriesSelector(matchers);
    }

    private record Matcher(String label, String operator, String value, Pattern regex) {
        Matcher(String label, String operator, String value) {
            this(label, operator, value, operator.contains("~") ? Pattern.compile(value) : null);
        }

        boolean matches(String actual) {
            return switch (operator) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case "=~" -> regex.matcher(actual).matches();
                default -> !regex.matcher(actual).matches();
            };
        }
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        String name() {
            skipSpaces();
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "_:".indexOf(text.charAt(at)) >= 0)) {
                at++;
            }
            return text.substring(start, at);
        }

        String operator() {
            skipSpaces();
            for (String operator : new String[] {"=~", "!~", "!=", "="}) {
                if (text.startsWith(operator, at)) {
                    at += operator.length();
                    return operator;
                }
            }
            throw error("=, !=, =~ or !~");
        }

        String quoted() {
            skipSpaces();
            if (at >= text.length() || "\"'`".indexOf(text.charAt(at)) < 0) {
                throw error("a quoted value");
            }
            char quote = text.charAt(at++);
            StringBuilder value = new StringBuilder();
            while (at < text.length() && text.charAt(at) != quote) {
                char c = text.charAt(at++);
                if (c == '\\' && quote != '`' && at < text.length()) {
                    char escaped = text.charAt(at++);
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> escaped;
                    });
                } else {
                    value.append(c);
                }
            }
            if (at >= text.length()) {
                throw error("the closing quote");
            }
            at++;
            return value.toString();
        }

        boolean accept(char c) {
            skipSpaces();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        boolean peek(char c) {
            skipSpaces();
            return at < text.length() && text.charAt(at) == c;
        }

        boolean atEnd() {
            skipSpaces();
            return at == text.length();
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("selector " + text + ": expected " + expected + " at position " + at);
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}
