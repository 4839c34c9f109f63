package io.edgeagent.config;

import java.util.List;

/**
 * Checks a bound {@link AgentConfig} against the rules no type can express (ranges, URL schemes, files that must
 * exist) and reports every violation, each with its key path, line, value and what was expected. The rules live with
 * the sections: each key's in its {@link Field}, the rest in the section's {@link Section#validate}; this class only
 * starts the walk at the root.
 */
final class ConfigValidator {

    private final Validation root;

    ConfigValidator(String source, YamlLines lines, List<Problem> problems) {
        this.root = new Validation(source, lines, problems);
    }

    void validate(AgentConfig config) {
        root.section(config);
    }
}
