package io.edgeagent.testing;

import io.edgeagent.config.AdminConfig;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.DataConfig;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.RulesConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's own files, located from the module directory, and configs derived from them for tests. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("config.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (config.yaml) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static Path rulesDirectory() {
        return repositoryRoot().resolve("rules");
    }

    /** The repository's config.yaml, pointed at {@code brokerUrl} with its data in {@code dataDir}. */
    public static AgentConfig repositoryConfig(String brokerUrl, Path dataDir) throws ConfigException {
        AgentConfig config = new ConfigLoader(Placeholders.fromSystem()).load(repositoryRoot().resolve("config.yaml"));
        return config.withBroker(config.broker().withUrl(brokerUrl)
                        .withClientId("edge-agent-test-" + Long.toHexString(System.nanoTime())))
                .withData(new DataConfig(dataDir))
                .withRules(new RulesConfig(rulesDirectory(), false))
                .withAdmin(new AdminConfig(false, "127.0.0.1", 0, dataDir.resolve("admin.token")));
    }

    /**
     * A minimal agent configuration for tests that run a whole agent: the broker, rules and data in directories next
     * to the file, the admin API on {@code adminPort}, one readings input, then {@code extraLines} as written. The
     * inputs come last, so extra lines that start with {@code "  - "} add inputs; others add top-level keys.
     */
    public static String agentYaml(String brokerUrl, String clientId, int adminPort, String... extraLines) {
        StringBuilder yaml = new StringBuilder(String.join("\n",
                "broker:",
                "  url: " + brokerUrl,
                "  clientId: " + clientId,
                "rules:",
                "  directory: rules",
                "data:",
                "  directory: data",
                "admin:",
                "  port: " + adminPort,
                "inputs:",
                "  - topic: sensors/+/+",
                ""));
        for (String line : extraLines) {
            yaml.append(line).append('\n');
        }
        return yaml.toString();
    }
}
