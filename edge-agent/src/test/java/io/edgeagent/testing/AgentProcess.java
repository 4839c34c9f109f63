package io.edgeagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged agent as a child process: {@code java -Xmx128m -jar target/edge-agent.jar run --config F}. */
public final class AgentProcess {

    private AgentProcess() {
    }

    /** Starts the agent with its standard output and error going to {@code log}. */
    public static Process start(Path config, Path log) throws IOException {
        return start(config, log, List.of("-Xmx128m"));
    }

    /** As {@link #start(Path, Path)}, with these JVM options instead of {@code -Xmx128m}. */
    public static Process start(Path config, Path log, List<String> jvmOptions) throws IOException {
        Path jar = Path.of("target", "edge-agent.jar").toAbsolutePath();
        assertThat(jar).as("the jar is built in package, before integration-test").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
