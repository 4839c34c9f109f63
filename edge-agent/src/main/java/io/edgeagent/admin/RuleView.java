package io.edgeagent.admin;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One rule as {@code /api/rules} and {@code edge-agent rules list/show} present it: a {@link Deployed} rule (status
 * {@code running} or {@code disabled}) with its counters, definition and statements, or a {@link Rejected} file with
 * its problems. {@code status} tells them apart in JSON, so the CLI reads the answer back into these records.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "status",
        visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = RuleView.Deployed.class, names = {"running", "disabled"}),
        @JsonSubTypes.Type(value = RuleView.Rejected.class, name = "rejected")})
public sealed interface RuleView permits RuleView.Deployed, RuleView.Rejected {

    String name();

    /** {@code running}, {@code disabled} or {@code rejected}. */
    String status();

    /** The rule file. */
    String source();

    /**
     * A rule the engine runs or holds disabled.
     *
     * @param lastFired      ISO-8601, null if it never fired
     * @param cooldown       as written in the rule (e.g. {@code 5m}); cooldown, key and epl are null only while the
     *                       engine reports a rule whose definition is being replaced
     * @param disabledReason why the agent disabled the rule (e.g. its time budget), null otherwise
     */
    record Deployed(String name, String status, String description, String source, long matched, long fired,
                    long suppressed, long errors, String lastFired, String lastError, String cooldown, String key,
                    List<String> actions, String epl, List<Statement> statements, long limitRefusals,
                    String disabledReason) implements RuleView {
    }

    /** A rule file the agent could not deploy, with every problem found in it. */
    record Rejected(String name, String status, String source, List<String> problems) implements RuleView {
    }

    /** Esper's metrics of one of the rule's statements, totals since it was deployed. */
    record Statement(String statement, long eventsIn, long rowsOut, long wallNanos, long cpuNanos) {
    }

    /** A rule's counters, as its engine keeps them. */
    record Counters(long matched, long fired, long suppressed, long errors, long lastFiredMillis, String lastError,
                    long limitRefusals) {
    }

    /** What the rule file says. */
    record Definition(String description, String cooldown, String key, List<String> actions, String epl) {
    }

    static Deployed deployed(String name, boolean enabled, String source, Counters c, Definition d,
                             List<Statement> statements, String disabledReason) {
        return new Deployed(name, enabled ? "running" : "disabled", d.description(), source, c.matched(), c.fired(),
                c.suppressed(), c.errors(), ViewTimes.iso(c.lastFiredMillis()), c.lastError(), d.cooldown(), d.key(),
                d.actions(), d.epl(), statements, c.limitRefusals(), disabledReason);
    }

    static Rejected rejected(String name, String source, List<String> problems) {
        return new Rejected(name, "rejected", source, problems);
    }
}
