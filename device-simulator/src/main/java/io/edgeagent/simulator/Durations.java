package io.edgeagent.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations people type: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 0}, or ISO-8601
 * ({@code PT30S}).
 * Used by the command line and by scenario files, so both accept the same forms.
 */
public final class Durations {

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SHORT_FORM.matcher(trimmed);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                default -> 3_600_000L;
            };
            return Duration.ofMillis(Math.round(amount * unitMillis));
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + trimmed + "' is not a duration: write e.g. 500ms, 30s, 1.5s, 5m, 1h or PT30S");
        }
    }

    /** The shortest exact form of {@code d} that {@link #parse} reads back, e.g. {@code 90s} or {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms > 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        } else if (ms > 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        } else if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }
}
