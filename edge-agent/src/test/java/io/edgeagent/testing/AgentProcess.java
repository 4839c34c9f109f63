package io.edgeagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

/** The packaged agent as a child process: {@code java -Xmx128m -jar target/edge-agent.jar run --config F}. */
public final class AgentProcess {

    private AgentProcess() {
    }

    /** Starts the agent with its standard output and error going to {@code log}. */
    public static Process start(Path config, Path log) throws IOException {
        Path jar = Path.of("target", "edge-agent.jar").toAbsolutePath();
        assertThat(jar).as("the jar is built in package, before integration-test").exists();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", jar.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
