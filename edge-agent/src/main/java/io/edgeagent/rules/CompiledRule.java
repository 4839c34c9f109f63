package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import java.util.Map;

/**
 * A rule ready to deploy: its compiled module, which rules of the same {@link RuleShape} share, and the values this
 * rule gives the module's substitution parameters.
 */
public record CompiledRule(EPCompiled module, Map<String, Object> parameters) {

    public CompiledRule {
        parameters = Map.copyOf(parameters);
    }
}
