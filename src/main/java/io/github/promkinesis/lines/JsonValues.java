package io.github.promkinesis.lines;

import java.nio.charset.StandardCharsets;

/** How numbers are written in every line: JSON numbers, and the strings "NaN", "+Inf", "-Inf" JSON lacks. */
final class JsonValues {

    static final byte[] NAN = ascii("\"NaN\"");
    private static final byte[] POINT_ZERO = ascii(".0");
    private static final long NEGATIVE_ZERO_BITS = Double.doubleToRawLongBits(-0.0);
    static final byte[] POSITIVE_INFINITY = ascii("\"+Inf\"");
    static final byte[] NEGATIVE_INFINITY = ascii("\"-Inf\"");

    private JsonValues() {
    }

    /**
     * Finite values as a JSON number that parses back to the identical double, in Double.toString's form; the
     * rest as strings. Whole numbers below 10^7 (counters, gauges of counts) skip Double.toString, which would
     * write them the same way, "42.0", at several times the cost.
     */
    static void writeDouble(ByteSink out, double value) {
        long whole = (long) value;
        if (whole == value && whole > -10_000_000L && whole < 10_000_000L
                && Double.doubleToRawLongBits(value) != NEGATIVE_ZERO_BITS) {
            out.writeLong(whole);
            out.write(POINT_ZERO);
        } else if (Double.isFinite(value)) {
            out.writeLatin1(Double.toString(value));
        } else if (Double.isNaN(value)) {
            out.write(NAN);
        } else {
            out.write(value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY);
        }
    }

    /** The value of a "NaN", "+Inf" or "-Inf" string; null for any other text. */
    static Double named(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
