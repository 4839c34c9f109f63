package io.edgeagent.admin;

import java.util.List;

/**
 * One rule as {@code /api/rules} and {@code edge-agent rules list/show} present it. A rejected file has only its
 * name, source and problems: see {@link #rejected}.
 *
 * @param status   running, disabled or rejected
 * @param cooldown as written in the rule (e.g. {@code 5m}), null for a rejected file
 */
public record RuleView(String name, String status, String description, String source, long matched, long fired,
                       long suppressed, long errors, String lastFired, String lastError, String cooldown, String key,
                       List<String> actions, String epl, List<String> problems, List<Statement> statements,
                       long limitRefusals, String disabledReason) {

    /** Esper's metrics of one of the rule's statements, totals since it was deployed. */
    public record Statement(String statement, long eventsIn, long rowsOut, long wallNanos, long cpuNanos) {
    }

    /** A rule's counters, as its engine keeps them. */
    public record Counters(long matched, long fired, long suppressed, long errors, long lastFiredMillis,
                           String lastError, long limitRefusals) {
    }

    /** What the rule file says. */
    public record Definition(String description, String cooldown, String key, List<String> actions, String epl) {
        static final Definition NONE = new Definition("", null, null, List.of(), null);
    }

    public static RuleView deployed(String name, boolean enabled, String source, Counters c, Definition d,
                                    List<Statement> statements, String disabledReason) {
        return new RuleView(name, enabled ? "running" : "disabled", d.description(), source, c.matched(), c.fired(),
                c.suppressed(), c.errors(), ViewTimes.iso(c.lastFiredMillis()), c.lastError(), d.cooldown(), d.key(),
                d.actions(), d.epl(), List.of(), statements, c.limitRefusals(), disabledReason);
    }

    public static RuleView rejected(String name, String source, List<String> problems) {
        Definition d = Definition.NONE;
        return new RuleView(name, "rejected", d.description(), source, 0, 0, 0, 0, null, null, d.cooldown(), d.key(),
                d.actions(), d.epl(), problems, List.of(), 0, null);
    }
}
