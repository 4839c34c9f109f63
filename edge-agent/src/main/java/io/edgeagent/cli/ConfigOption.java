package io.edgeagent.cli;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --config} option shared by the commands that read the configuration, and the one way they all report a
 * configuration that cannot be used: a heading naming the file, then every problem with file, line, key and
 * expectation, one per line.
 */
final class ConfigOption {

    static final String DEFAULT = "config.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${EDGE_AGENT_CONFIG:-" + DEFAULT + "}",
            description = "Configuration file (default: $EDGE_AGENT_CONFIG or ${DEFAULT-VALUE}).")
    Path file;

    AgentConfig load() throws ConfigException {
        return ConfigLoader.fromSystem().load(file);
    }

    /** The configuration, or null after printing its problems to {@code err}; the command then exits with 3. */
    AgentConfig loadOrReport(PrintWriter err) {
        return loadOrReport(file, err);
    }

    /** As {@link #loadOrReport(PrintWriter)}, for commands whose configuration option is their own. */
    static AgentConfig loadOrReport(Path file, PrintWriter err) {
        try {
            return ConfigLoader.fromSystem().load(file);
        } catch (ConfigException e) {
            report(err, "invalid configuration " + file, e.problems());
            return null;
        }
    }

    /** Prints {@code edge-agent: WHAT (N problems):} and each problem indented below it. */
    static void report(PrintWriter err, String what, List<Problem> problems) {
        err.println("edge-agent: " + what + " (" + Plural.of(problems.size(), "problem") + "):");
        for (Problem p : problems) {
            err.println("  " + p.describe());
        }
    }
}
