package io.edgeagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Writes one line to the agent's log. {@code level} is info (default), warn or error. */
public record LogAction(@Templated String message, String level, RetryPolicy retry, Duration timeout, String when, AwaitSpec await,
                         String onFailure, List<ActionSpec> compensate) implements ActionSpec {

    public static final List<String> LEVELS = List.of("info", "warn", "error");

    public LogAction {
        level = level == null ? "info" : level.toLowerCase(Locale.ROOT);
        retry = StepOptions.retryOrNone(retry);
        onFailure = StepOptions.onFailureOrAbort(onFailure);
        compensate = StepOptions.listOrEmpty(compensate);
    }

    @Override
    public String type() {
        return "log";
    }
}
