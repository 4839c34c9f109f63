package io.edgeagent.rules;

import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.RuleFiring;

/**
 * Receives rule firings. Called on the thread that sent the event (or Esper's timer thread for time-based rules), so
 * implementations must return quickly and be thread-safe: hand the work to a pool, never run it inline.
 */
@FunctionalInterface
public interface FiringSink {

    void fired(RuleDefinition rule, RuleFiring firing);
}
