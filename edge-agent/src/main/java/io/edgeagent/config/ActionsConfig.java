package io.edgeagent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool that runs rule actions, and the named workflows rules can call. Bounded in threads and queue so a slow
 * action never stalls ingest; a firing that finds the queue full, or its rule at {@code maxRunsPerRule} queued or
 * running runs, is refused, counted and logged. {@code execAllowlist} lists the absolute program paths an
 * {@code exec} step may run (empty: any).
 */
public record ActionsConfig(Integer threads, Integer queueCapacity, Integer maxRunsPerRule, List<String> execAllowlist,
                            Map<String, List<ActionSpec>> workflows) {

    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;
    public static final int DEFAULT_MAX_RUNS_PER_RULE = 100;

    public ActionsConfig {
        threads = threads == null ? DEFAULT_THREADS : threads;
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
        maxRunsPerRule = maxRunsPerRule == null ? DEFAULT_MAX_RUNS_PER_RULE : maxRunsPerRule;
        execAllowlist = execAllowlist == null ? List.of() : List.copyOf(execAllowlist);
        // Keep the file's order so listings match what the person wrote.
        workflows = workflows == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(workflows));
    }

    public static ActionsConfig defaults() {
        return new ActionsConfig(null, null, null, null, null);
    }
}
