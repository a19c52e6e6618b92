package io.github.promkinesis.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as settings and options write them: whole hours (3h), minutes (90m) or seconds (30s), or 0. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([hms]?)");

    private Durations() {
    }

    /** The duration, or null when the text is none of those. */
    public static Duration parse(String text) {
        Matcher parts = DURATION.matcher(text);
        if (!parts.matches() || (parts.group(2).isEmpty() && !parts.group(1).equals("0"))) {
            return null;
        }
        long amount = Long.parseLong(parts.group(1));
        return switch (parts.group(2)) {
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ZERO;
        };
    }
}
