package io.edgeagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads, binds and validates the agent configuration file in one step. */
public final class ConfigLoader {

    private final Placeholders placeholders;

    public ConfigLoader(Placeholders placeholders) {
        this.placeholders = placeholders;
    }

    public static ConfigLoader fromSystem() {
        return new ConfigLoader(Placeholders.fromSystem());
    }

    /**
     * @return the configuration with every relative path resolved against the file's directory
     * @throws ConfigException listing every problem found in the file
     */
    public AgentConfig load(Path file) throws ConfigException {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(source, 0, "", null,
                    "cannot read the configuration file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(source, text, base);
    }

    /** Binds and validates {@code text}; relative paths resolve against {@code base}. */
    public AgentConfig parse(String source, String text, Path base) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        AgentConfig bound = Yaml.bind(source, text, AgentConfig.class, placeholders, problems);
        if (bound == null) {
            throw new ConfigException(problems);
        }
        AgentConfig resolved = bound.resolve(base);
        new ConfigValidator(source, YamlLines.index(text), problems).validate(resolved);
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(Problem::line));
            throw new ConfigException(problems);
        }
        return resolved;
    }
}
