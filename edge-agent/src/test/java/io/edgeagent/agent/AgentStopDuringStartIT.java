package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.testing.AgentProcess;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the packaged agent is still starting (compiling the example rules into an empty cache, which takes
 * seconds) stops it in order: the start gives up before its next stage, what it opened is closed, ingest never
 * connects, and the process exits with 143 and no stack trace.
 */
@Timeout(120)
class AgentStopDuringStartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Process agent;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void sigterm_duringStartUp_stopsInOrderAndExits143() throws Exception {
        broker = MosquittoBroker.start(dir);
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (Stream<Path> examples = Files.list(TestConfigs.rulesDirectory())) {
            for (Path file : examples.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, rules.resolve(file.getFileName()));
            }
        }
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, TestConfigs.agentYaml(broker.url(), "stop-during-start", 0));
        Path log = dir.resolve("agent.log");

        agent = AgentProcess.start(config, log);
        await("agent starting (log " + log + ")").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> read(log).contains("Starting edge-agent") || !agent.isAlive());
        assertThat(read(log)).as("the start must still be compiling rules when the signal comes")
                .doesNotContain("Loaded ").doesNotContain("MQTT ingest connected");
        agent.destroy();

        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("exits; log: %s", read(log)).isTrue();
        String output = read(log);
        assertThat(agent.exitValue()).as(output).isEqualTo(143);
        assertThat(output).contains("Stop requested while starting").contains("edge-agent stopped")
                .doesNotContain("MQTT ingest connected").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("data").resolve("buffer.mv.db")).as("the buffer was opened and closed").exists();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
