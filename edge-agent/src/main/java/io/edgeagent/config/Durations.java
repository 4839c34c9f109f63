package io.edgeagent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations people write in configuration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}, or ISO-8601. */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            try {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h, 7d or PT30S "
                        + "(this one is too long to represent)");
            }
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h, 7d or PT30S");
        }
    }

    /** The shortest exact form of {@code d} in the units {@link #parse} reads, e.g. {@code 90s} or {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        } else if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        } else if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "m";
        } else if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
