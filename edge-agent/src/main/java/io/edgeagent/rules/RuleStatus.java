package io.edgeagent.rules;

/**
 * A deployed rule's state and counters. {@code matched} counts select rows; {@code fired} those that passed the
 * cooldown; {@code suppressed} those the cooldown held back; {@code lastFired} is epoch ms (0 never).
 */
public record RuleStatus(String name, String description, String source, boolean enabled, long matched, long fired,
                         long suppressed, long errors, long lastFired, String lastError) {
}
