package io.edgeagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The packaged agent as a child process: {@code java -Xmx128m -jar target/edge-agent.jar run --config F}. */
public final class AgentProcess {

    private AgentProcess() {
    }

    /** Starts the agent and waits until its ingest has subscribed; fails with its log if it exits instead. */
    public static Process startSubscribed(Path config, Path log, Duration within) throws IOException {
        Process agent = start(config, log);
        Awaitility.await("agent subscribed (log " + log + ")").atMost(within).until(() ->
                Files.readString(log).contains("MQTT ingest connected") || !agent.isAlive());
        assertThat(agent.isAlive()).as("agent running; its log: %s", Files.readString(log)).isTrue();
        return agent;
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

    /** Stops a started agent: SIGTERM, then SIGKILL after 15 s; nothing when it already ended. */
    public static void stop(Process agent) throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
