package io.edgeagent.cli;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.rules.RuleEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads, compiles and checks rule files without running them: what `config check` and `rules validate` both do. */
final class RuleFileCheck {

    /** The outcome: the rules that compiled, and every problem of those that did not. */
    record Result(List<RuleDefinition> valid, List<Problem> problems) {
    }

    private RuleFileCheck() {
    }

    /** @param config the configuration the rules refer to (geofences, workflows); null when there is none */
    static Result check(List<Path> files, AgentConfig config) {
        List<RuleDefinition> valid = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        RuleFileReader reader = config == null ? RuleFileReader.fromSystem() : RuleFileReader.forConfig(config);
        try (RuleEngine engine = new RuleEngine(RulesCommand.geofences(config), RulesCommand.declared(config), true,
                (r, f) -> { }, null)) {
            for (Path file : files) {
                try {
                    RuleDefinition rule = reader.read(file);
                    engine.check(rule);
                    valid.add(rule);
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        return new Result(valid, problems);
    }
}
