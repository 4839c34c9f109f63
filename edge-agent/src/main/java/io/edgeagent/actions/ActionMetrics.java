package io.edgeagent.actions;

import io.edgeagent.metrics.MetricRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** What the action dispatcher counts, registered beside its counters; hidden while there is no dispatcher. */
public final class ActionMetrics {

    private ActionMetrics() {
    }

    /** @param dispatcher the dispatcher now, null while there is none */
    public static void register(MetricRegistry m, Supplier<ActionDispatcher> dispatcher) {
        m.counters("edge_action_runs_total", "Action steps run, by outcome.", "outcome", () -> {
            ActionDispatcher d = dispatcher.get();
            Map<String, Long> byOutcome = new LinkedHashMap<>();
            byOutcome.put("ok", d.succeeded());
            byOutcome.put("failed", d.failed());
            byOutcome.put("refused", d.rejected());
            byOutcome.put("deduplicated", d.deduplicated());
            return byOutcome;
        }).onlyWhen(() -> dispatcher.get() != null);
        m.counters("edge_workflow_runs_total", "Workflow runs (all steps of one firing), by outcome.", "outcome", () -> {
            ActionDispatcher d = dispatcher.get();
            Map<String, Long> byOutcome = new LinkedHashMap<>();
            byOutcome.put("succeeded", d.runsSucceeded());
            byOutcome.put("failed", d.runsFailed());
            return byOutcome;
        }).onlyWhen(() -> dispatcher.get() != null);
        m.histogram("edge_action_start_latency_seconds", "From taking a message off the broker to the start of the "
                + "action run of the rule it made fire (timer firings are not counted).", () -> {
                    ActionDispatcher d = dispatcher.get();
                    return d == null ? null : d.startLatency();
                });
    }
}
