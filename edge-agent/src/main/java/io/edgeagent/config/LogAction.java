package io.edgeagent.config;

import java.util.List;
import java.util.Locale;

/** Writes one line to the agent's log. {@code level} is info (default), warn or error. */
public record LogAction(String message, String level) implements ActionSpec {

    public static final List<String> LEVELS = List.of("info", "warn", "error");

    public LogAction {
        level = level == null ? "info" : level.toLowerCase(Locale.ROOT);
    }

    @Override
    public String type() {
        return "log";
    }
}
