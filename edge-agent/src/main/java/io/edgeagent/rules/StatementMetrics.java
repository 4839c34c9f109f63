package io.edgeagent.rules;

/**
 * Esper's own metrics of one statement of a rule, totals since it was deployed: events that reached it (filter
 * matches and timer callbacks), rows it output (insert and remove streams), and the time spent in it. Wall time is
 * always measured; CPU time only with {@code rules.statementCpuTime} (it costs a system call per statement and
 * event), otherwise 0.
 */
public record StatementMetrics(String statement, long eventsIn, long rowsOut, long wallNanos, long cpuNanos) {
}
