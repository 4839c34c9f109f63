package io.edgeagent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The pool that runs rule actions, and the named workflows rules can call. Bounded in threads and queue so a slow
 * action never stalls ingest; a firing that finds the queue full, or its rule at {@code maxRunsPerRule} queued or
 * running runs, is refused, counted and logged. {@code execAllowlist} lists the absolute program paths an
 * {@code exec} step may run (empty: any).
 */
public record ActionsConfig(Integer threads, Integer queueCapacity, Integer maxRunsPerRule, List<String> execAllowlist,
                            Map<String, List<ActionSpec>> workflows) implements Section {

    private static final Pattern WORKFLOW_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    static final Field<Integer> THREADS = Field.of("threads", 4, Check.range(1, 64));
    static final Field<Integer> QUEUE_CAPACITY = Field.of("queueCapacity", 1000, Check.range(1, 100_000));
    static final Field<Integer> MAX_RUNS_PER_RULE = Field.of("maxRunsPerRule", 500, Check.range(1, 100_000));
    static final Field<List<String>> EXEC_ALLOWLIST = Field.of("execAllowlist", List.of());
    static final Field<Map<String, List<ActionSpec>>> WORKFLOWS = Field.of("workflows", Map.of());

    public ActionsConfig {
        threads = THREADS.or(threads);
        queueCapacity = QUEUE_CAPACITY.or(queueCapacity);
        maxRunsPerRule = MAX_RUNS_PER_RULE.or(maxRunsPerRule);
        // Not List.copyOf: a null entry must reach validation as a problem, not fail binding with an NPE.
        execAllowlist = Collections.unmodifiableList(new ArrayList<>(EXEC_ALLOWLIST.or(execAllowlist)));
        // Keep the file's order so listings match what the person wrote.
        workflows = Collections.unmodifiableMap(new LinkedHashMap<>(WORKFLOWS.or(workflows)));
    }

    @Override
    public void validate(Validation here) {
        for (int i = 0; i < execAllowlist.size(); i++) {
            String program = execAllowlist.get(i);
            if (program == null || !Path.of(program).isAbsolute()) {
                here.problem("execAllowlist[" + i + "]", program, "expected an absolute program path");
            }
        }
        for (Map.Entry<String, List<ActionSpec>> workflow : workflows.entrySet()) {
            Validation at = here.at("workflows").at(workflow.getKey());
            if (!WORKFLOW_NAME.matcher(workflow.getKey()).matches()) {
                at.problem("", workflow.getKey(), "expected a workflow name of letters, digits, '-' and '_'");
            }
            List<ActionSpec> steps = workflow.getValue() == null ? List.of() : workflow.getValue();
            if (steps.isEmpty()) {
                at.problem("", null, "expected a list of steps");
            }
            for (int i = 0; i < steps.size(); i++) {
                at.action("[" + i + "]", steps.get(i));
                if (steps.get(i) instanceof WorkflowAction call && call.name() != null
                        && !workflows.containsKey(call.name())) {
                    at.problem("[" + i + "].name", call.name(), "expected the name of a workflow in actions.workflows");
                }
            }
        }
    }

    public static ActionsConfig defaults() {
        return new ActionsConfig(null, null, null, null, null);
    }
}
