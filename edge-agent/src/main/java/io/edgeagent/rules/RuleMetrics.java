package io.edgeagent.rules;

import io.edgeagent.metrics.MetricRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the rules count, registered beside their counters: the heap guard's families (hidden before start) and one
 * sample per deployed rule in each per-rule family.
 */
public final class RuleMetrics {

    private RuleMetrics() {
    }

    /**
     * @param heapGuard the heap guard now, null before start
     * @param engine    the rule engine now, null before start
     */
    public static void register(MetricRegistry m, Supplier<HeapGuard> heapGuard, Supplier<RuleEngine> engine) {
        m.counter("edge_heap_guard_rules_disabled_total",
                "Rules the heap guard disabled to release their state (heap too full after a collection).",
                () -> heapGuard.get().disabledRules().size()).onlyWhen(() -> heapGuard.get() != null);
        m.gauge("edge_heap_used_after_gc_ratio",
                "Old generation in use after the last collection, as a share of its maximum.",
                () -> heapGuard.get().usedAfterCollection()).onlyWhen(() -> heapGuard.get() != null);
        m.perItem("rule", () -> {
                    RuleEngine now = engine.get();
                    return now == null ? List.<RuleStatus>of() : now.status();
                }, RuleStatus::name)
                .counter("edge_rule_matches_total", "Rows a rule's statement produced.", RuleStatus::matched)
                .counter("edge_rule_firings_total", "Rule firings that passed the cooldown.", RuleStatus::fired)
                .counter("edge_rule_suppressed_total", "Rule matches held back by the cooldown.", RuleStatus::suppressed)
                .counter("edge_rule_errors_total", "Errors while handling a rule's matches.", RuleStatus::errors)
                .counter("edge_rule_limit_refusals_total", "Pattern instances or match-recognize states Esper refused "
                        + "to start for a rule (its limits).", RuleStatus::limitRefusals)
                .counter("edge_rule_statement_events_total",
                        "Events that reached a rule's statements (Esper's statement metrics).",
                        r -> r.statements().stream().mapToLong(StatementMetrics::eventsIn).sum())
                .counter("edge_rule_statement_seconds_total",
                        "Wall time spent in a rule's statements (Esper's statement metrics).",
                        r -> r.statements().stream().mapToLong(StatementMetrics::wallNanos).sum() / 1e9);
    }
}
