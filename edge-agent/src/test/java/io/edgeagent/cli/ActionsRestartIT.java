package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.agent.Agent;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.TestConfigs;
import io.edgeagent.testing.MqttProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent stopped in the middle of a workflow (a step waiting for an acknowledgement): the run is recorded as
 * interrupted, is not resumed by the next agent on the same data directory, and a person can list and retry it.
 */
@Timeout(90)
class ActionsRestartIT {

    @TempDir
    Path dir;

    @Test
    void restart_midWorkflow_runInterruptedNotResumed_thenRetriedByHand() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start();
             MqttProbe probe = new MqttProbe(broker.url(), "actuators/#")) {
            Path rules = Files.createDirectories(dir.resolve("rules"));
            Files.writeString(rules.resolve("valve.yaml"), String.join("\n",
                    "name: valve",
                    "epl: select deviceId, value from Reading(type = 'pressure' and value > 5)",
                    "actions:",
                    "  - type: mqtt",
                    "    topic: actuators/{deviceId}/valve",
                    "    payload: open",
                    "    await: {topic: \"actuators/{deviceId}/ack\", timeout: 60s}",
                    "  - type: log",
                    "    message: valve of {deviceId} open",
                    ""));
            Path file = dir.resolve("config.yaml");
            Files.writeString(file, TestConfigs.agentYaml(broker.url(), "restart-it", MosquittoBroker.freePort()));
            String config = file.toString();

            Agent first = new Agent(ConfigLoader.fromSystem().load(file));
            first.start();
            assertThat(first.awaitConnected(Duration.ofSeconds(20))).isTrue();
            probe.publish("sensors/pump-1/pressure", "{\"deviceId\":\"pump-1\",\"type\":\"pressure\",\"value\":7}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !probe.receivedOn("actuators/pump-1/valve").isEmpty());
            assertThat(first.actions().log().runs(10)).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo("running"));
            first.stop();

            Agent second = new Agent(ConfigLoader.fromSystem().load(file));
            try {
                second.start();
                assertThat(second.awaitConnected(Duration.ofSeconds(20))).isTrue();
                CliRun failed = CliRun.of("actions", "failed", "--json", "--config", config);
                assertThat(failed.exitCode()).as(failed.err()).isZero();
                JsonNode run = new ObjectMapper().readTree(failed.out()).get(0);
                assertThat(run.path("status").asText()).isEqualTo("interrupted");
                assertThat(run.path("key").asText()).isEqualTo("pump-1");
                // Not resumed: the valve command went out once, before the stop.
                assertThat(probe.receivedOn("actuators/pump-1/valve")).hasSize(1);

                CliRun retry = CliRun.of("actions", "retry", run.path("id").asText(), "--json", "--config", config);
                assertThat(retry.exitCode()).as(retry.err()).isZero();
                long retried = new ObjectMapper().readTree(retry.out()).path("id").asLong();
                await().atMost(Duration.ofSeconds(10)).until(() -> probe.receivedOn("actuators/pump-1/valve").size() == 2);
                probe.publish("actuators/pump-1/ack", "ok");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        second.actions().log().run(retried).orElseThrow().status().equals("succeeded"));
            } finally {
                second.stop();
            }
        }
    }
}
