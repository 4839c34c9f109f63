package io.edgeagent.rules;

import java.util.List;

/**
 * A deployed rule's state and counters. {@code matched} counts select rows; {@code fired} those that passed the
 * cooldown; {@code suppressed} those the cooldown held back; {@code lastFired} is epoch ms (0 never);
 * {@code statements} are Esper's metrics of each of the rule's statements (empty while disabled);
 * {@code limitRefusals} counts pattern instances or match-recognize states Esper refused to start because its limit
 * was reached; {@code disabledReason} says why the agent disabled a rule whose file enables it (null otherwise).
 */
public record RuleStatus(String name, String description, String source, boolean enabled, long matched, long fired,
                         long suppressed, long errors, long lastFired, String lastError,
                         List<StatementMetrics> statements, long limitRefusals, String disabledReason) {

    public RuleStatus {
        statements = List.copyOf(statements);
    }
}
