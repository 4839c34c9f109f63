package io.edgeagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a program with an argument list, never through a shell: {@code command[0]} is the program (an absolute path
 * when {@code actions.execAllowlist} is set), each further item is exactly one argument after {@code {field}}
 * substitution, whatever characters it holds. The step fails on an exit code outside {@code successExitCodes}
 * (default [0]) or when {@code timeout} (default 30s) passes; then the process is destroyed, forcibly if needed.
 */
public record ExecAction(@Templated List<String> command, @Templated String workingDirectory,
                         @Templated Map<String, String> environment,
                         List<Integer> successExitCodes, RetryPolicy retry, Duration timeout, String when, AwaitSpec await,
                         String onFailure, List<ActionSpec> compensate) implements ActionSpec {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ExecAction {
        command = command == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(command));
        environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        successExitCodes = successExitCodes == null ? List.of(0)
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(successExitCodes));
        retry = StepOptions.retryOrNone(retry);
        onFailure = StepOptions.onFailureOrAbort(onFailure);
        compensate = StepOptions.listOrEmpty(compensate);
    }

    @Override
    public String type() {
        return "exec";
    }
}
