package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.event.BufferedEvent;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.buffer.StoredDeadLetter;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's end-to-end promise, run against each broker: a reading above an example rule's threshold makes
 * the rule's command arrive on its MQTT topic, the event is durably in the outbox, and a malformed payload lands in
 * the dead-letter table without stopping the next good event.
 */
@Timeout(60)
abstract class AgentEndToEndContract {

    @TempDir
    Path data;

    private Agent agent;
    private MqttProbe probe;

    abstract String brokerUrl();

    @BeforeEach
    void startAgent() throws Exception {
        AgentConfig config = TestConfigs.repositoryConfig(brokerUrl(), data);
        agent = new Agent(config);
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(20))).as("agent connected").isTrue();
        probe = new MqttProbe(brokerUrl(), "actuators/#", "alerts/#");
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (agent != null) {
            agent.stop();
        }
    }

    @Test
    void readingAboveThreshold_publishesCompressorCommand_andStoresEventDurably() throws Exception {
        probe.publish("sensors/cold-room-9/temperature",
                "{\"deviceId\":\"cold-room-9\",\"type\":\"temperature\",\"value\":9.5,\"unit\":\"C\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/cold-room-9/command").isEmpty());
        assertThat(probe.receivedOn("actuators/cold-room-9/command").get(0).payload())
                .isEqualTo("{\"command\":\"compressor-on\",\"reason\":\"temperature-high\",\"temperature\":9.5}");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.counters().acknowledged() >= 1);

        agent.stop();
        try (H2Buffer reopened = H2Buffer.open(data, BufferConfig.defaults())) {
            List<BufferedEvent> rows = reopened.peek(10);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).deviceId()).isEqualTo("cold-room-9");
            assertThat(rows.get(0).body()).contains("\"value\":9.5").contains("\"type\":\"temperature\"");
        }
    }

    @Test
    void malformedPayload_goesToDeadLetterTable_andNextEventIsProcessed() throws Exception {
        probe.publish("sensors/cold-room-8/temperature", "{\"deviceId\":\"cold-room-8\",\"type\":\"temperature\",\"value\":");
        probe.publish("sensors/cold-room-8/temperature",
                "{\"deviceId\":\"cold-room-8\",\"type\":\"temperature\",\"value\":12.25,\"unit\":\"C\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/cold-room-8/command").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.counters().acknowledged() >= 2);
        assertThat(agent.counters().decodeErrors()).isEqualTo(1);

        agent.stop();
        try (H2Buffer reopened = H2Buffer.open(data, BufferConfig.defaults())) {
            List<StoredDeadLetter> dead = reopened.recentDeadLetters(10);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).topic()).isEqualTo("sensors/cold-room-8/temperature");
            assertThat(dead.get(0).reason()).contains("not valid JSON");
            assertThat(new String(dead.get(0).payload(), StandardCharsets.UTF_8)).endsWith("\"value\":");
            assertThat(reopened.peek(10)).extracting(BufferedEvent::deviceId).containsExactly("cold-room-8");
        }
    }

    @Test
    void trackerLeavingDepot_publishesGeofenceAlert() throws Exception {
        // 100 m east of the depot centre (inside), then 600 m east (outside the 300 m fence and its 10 m margin).
        probe.publish("trackers/truck-9/location", "{\"deviceId\":\"truck-9\",\"lat\":52.5200,\"lon\":13.40647,\"accuracy\":5}");
        probe.publish("trackers/truck-9/location", "{\"deviceId\":\"truck-9\",\"lat\":52.5200,\"lon\":13.41384,\"accuracy\":5}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("alerts/truck-9/geofence").isEmpty());
        assertThat(probe.receivedOn("alerts/truck-9/geofence").get(0).payload())
                .contains("\"event\":\"exit\"").contains("\"fence\":\"depot\"");
    }
}
