package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A type declared in the configuration, through the whole agent: MQTT in, rule, MQTT command out, stored durably. */
@Timeout(60)
class DeclaredEventTypeIT {

    @TempDir
    Path dir;

    @Test
    void declaredEvent_firesItsRule_publishesTheCommand_andIsStored() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/shaking.yaml"), """
                name: shaking
                epl: select deviceId, rms, axis from Vibration(rms > 4.5)
                actions:
                  - type: mqtt
                    topic: actuators/{deviceId}/command
                    payload: {command: stop, axis: "{axis}"}
                """);
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            Path file = dir.resolve("config.yaml");
            Files.writeString(file, TestConfigs.agentYaml(broker.url(), "declared-it", MosquittoBroker.freePort(),
                    "  - topic: machines/+/vibration",
                    "    event: Vibration",
                    "    fields:",
                    "      deviceId: topic:1",
                    "eventTypes:",
                    "  Vibration:",
                    "    rms: double",
                    "    axis: string"));
            Agent agent = new Agent(ConfigLoader.fromSystem().load(file));
            agent.start();
            try (MqttProbe probe = new MqttProbe(broker.url(), "actuators/#")) {
                assertThat(agent.awaitConnected(Duration.ofSeconds(20))).isTrue();
                probe.publish("machines/press-1/vibration", "{\"rms\":3.1,\"axis\":\"x\"}");
                probe.publish("machines/press-1/vibration", "{\"rms\":6.4,\"axis\":\"z\"}");

                await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/press-1/command").isEmpty());
                assertThat(probe.receivedOn("actuators/press-1/command")).singleElement()
                        .satisfies(m -> assertThat(m.payload()).isEqualTo("{\"command\":\"stop\",\"axis\":\"z\"}"));
                await().atMost(Duration.ofSeconds(10)).until(() -> agent.counters().acknowledged() >= 2);
            } finally {
                agent.stop();
            }
        }
        try (H2Buffer reopened = H2Buffer.open(dir.resolve("data"), BufferConfig.defaults())) {
            List<BufferedEvent> rows = reopened.peek(10);
            assertThat(rows).hasSize(2);
            assertThat(rows).allSatisfy(r -> assertThat(r.body()).contains("\"kind\":\"Vibration\"")
                    .contains("\"deviceId\":\"press-1\""));
            assertThat(rows.get(1).body()).contains("\"fields\":{\"rms\":6.4,\"axis\":\"z\"}");
        }
    }
}
