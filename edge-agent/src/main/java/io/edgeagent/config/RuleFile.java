package io.edgeagent.config;

import java.time.Duration;
import java.util.List;

/** The keys of a rule file, as bound from YAML before checks. */
record RuleFile(String name, String description, String epl, Boolean enabled, Duration cooldown, String key,
                List<ActionSpec> actions, Boolean unboundedState) {
}
