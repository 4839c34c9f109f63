package io.edgeagent.admin;

import io.edgeagent.config.ConfigException;
import io.edgeagent.metrics.MetricRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the admin API asks of the running agent. The composition root implements it; the view records returned are
 * serialized to JSON as they are (docs/admin-api.md). Called on admin threads: implementations must be thread-safe.
 */
public interface AdminBackend {

    /** Buffer open, rules loaded, ingest connected. */
    boolean ready();

    StatusView status();

    List<RuleView> rules();

    Optional<RuleView> rule(String name);

    /** Adds or replaces the rule {@code name} from YAML text; returns the rule's new status. */
    RuleView putRule(String name, String yaml) throws ConfigException, IOException;

    /** @return false when there is no such rule */
    boolean deleteRule(String name) throws IOException;

    /** @return false when there is no such rule */
    boolean setRuleEnabled(String name, boolean enabled) throws ConfigException, IOException;

    BufferView buffer();

    List<DeadLetterView> deadLetters(int limit);

    /** What the agent counts, rendered as {@code /metrics}. */
    MetricRegistry metrics();

    /** The newest action runs, newest first. */
    default List<ActionRunView> actionRuns(int limit) {
        return List.of();
    }

    /** The action dead-letter record: failed and interrupted runs, newest first. */
    default List<ActionRunView> failedActionRuns(int limit) {
        return List.of();
    }

    /** One action run with its steps. */
    default Optional<ActionRunView> actionRun(long id) {
        return Optional.empty();
    }

    /**
     * Starts the run {@code id} again as a new run; returns the new run (empty: no run {@code id}).
     *
     * @throws IllegalStateException when it cannot be retried now; the message says why
     */
    default Optional<ActionRunView> retryActionRun(long id) {
        return Optional.empty();
    }
}
