package io.edgeagent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration or rule file that cannot be used; carries every problem found, not only the first. */
public class ConfigException extends Exception {

    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(p -> "  " + p.describe()).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
