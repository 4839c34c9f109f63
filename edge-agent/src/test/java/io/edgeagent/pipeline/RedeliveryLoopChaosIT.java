package io.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.testing.AgentProcess;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.UplinkCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that stops the agent, redelivered by a real Mosquitto after every restart: the agent (a child process,
 * restarted by the test as systemd would) exits with 70 when the pipeline stalls, processes the redelivered batch one
 * message at a time, and dead-letters the message that stopped it twice, after which everything else flows.
 *
 * <p>The stall is a realistic one: a rule with a catastrophically backtracking regular expression, and a device id
 * that makes it take longer than the age of the universe.
 */
@Timeout(180)
class RedeliveryLoopChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String POISON_ID = "a".repeat(40) + "c";

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private UplinkCollector upstream;
    private Path config;
    private Process agent;
    private int runs;

    @BeforeEach
    void setUp() throws IOException {
        broker = MosquittoBroker.start(dir);
        upstream = new UplinkCollector();
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("backtracking.yaml"), String.join("\n",
                "name: backtracking",
                "epl: |",
                "  select deviceId from Reading(deviceId regexp '((a+)+)+b')",
                "actions:",
                "  - type: log",
                "    message: \"{deviceId} matched\"",
                ""));
        config = dir.resolve("config.yaml");
        Files.writeString(config, String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: loop-it-" + Long.toHexString(System.nanoTime()),
                "inputs:",
                "  - name: readings",
                "    topic: sensors/+/+",
                "rules:",
                "  directory: " + rules,
                "  watch: false",
                "data:",
                "  directory: " + dir.resolve("data"),
                "pipeline:",
                "  stallTimeout: 2s",
                "admin:",
                "  enabled: false",
                "uplink:",
                "  enabled: true",
                "  type: http",
                "  url: " + upstream.url(),
                "  retryMin: 100ms",
                "  retryMax: 1s",
                ""));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        upstream.close();
        broker.close();
    }

    private Path startAgent() throws IOException {
        Path log = dir.resolve("agent-" + ++runs + ".log");
        agent = AgentProcess.start(config, log);
        return log;
    }

    private static String reading(String device, int value) {
        return "{\"deviceId\":\"" + device + "\",\"type\":\"temperature\",\"value\":" + value + "}";
    }

    private int awaitExit(Path log) throws InterruptedException, IOException {
        boolean exited = agent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(exited).as("agent exited; its log:%n%s", Files.readString(log)).isTrue();
        return agent.exitValue();
    }

    @Test
    void messageThatStallsThePipeline_isDeadLetteredAfterTwoRestarts_andTheRestFlows() throws Exception {
        Path first = startAgent();
        await().atMost(WAIT).until(() -> Files.readString(first).contains("MQTT ingest connected"));
        try (MqttProbe device = new MqttProbe(broker.url())) {
            device.publish("sensors/good-1/temperature", reading("good-1", 1));
            await("a good reading uploaded").atMost(WAIT).until(() -> upstream.distinctIds().size() == 1);
            device.publish("sensors/poison/temperature", reading(POISON_ID, 2));
            device.publish("sensors/good-2/temperature", reading("good-2", 3));
        }

        assertThat(awaitExit(first)).as("exit code for systemd to restart").isEqualTo(70);
        assertThat(Files.readString(first)).contains("Pipeline failed: one batch has been in progress for",
                "exit code 70");

        Path second = startAgent();
        assertThat(awaitExit(second)).isEqualTo(70);
        assertThat(Files.readString(second)).contains("they are processed one at a time");

        Path third = startAgent();
        try {
            await("the poison dead-lettered").atMost(WAIT).until(() ->
                    Files.readString(third).contains("stopped the agent twice and went to the dead-letter table"));
            await("the good reading after the poison is uploaded").atMost(WAIT).until(() ->
                    upstream.events().stream().anyMatch(e -> e.value() == 3.0));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the agent's log:\n" + Files.readString(third), e);
        }
        assertThat(agent.isAlive()).isTrue();
        // The poison's own event may be there too: it was stored before the rules stalled on it. Storing comes first.
        assertThat(upstream.events()).extracting(UplinkCollector.Uploaded::value).contains(1.0, 3.0);
    }
}
