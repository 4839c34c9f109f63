package io.edgeagent.cli;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by the commands that read the configuration. */
final class ConfigOption {

    static final String DEFAULT = "config.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${EDGE_AGENT_CONFIG:-" + DEFAULT + "}",
            description = "Configuration file (default: $EDGE_AGENT_CONFIG or ${DEFAULT-VALUE}).")
    Path file;

    AgentConfig load() throws ConfigException {
        return ConfigLoader.fromSystem().load(file);
    }
}
