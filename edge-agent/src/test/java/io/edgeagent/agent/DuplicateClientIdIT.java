package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.testing.LogCapture;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients with one client id on a real Mosquitto knock each other off for ever; the agent says so once, names
 * the id and the setting to change, and counts it.
 */
@Timeout(120)
class DuplicateClientIdIT {

    private static final String TAKEOVER_HINT = "another client is probably using the client id 'gateway-twin'";

    @Test
    void agent_anotherClientWithItsClientId_logsOneHintNamingTheSettingAndCounts(@TempDir Path dir) throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
             LogCapture log = new LogCapture(MqttConnection.class)) {
            AgentConfig base = TestConfigs.repositoryConfig(broker.url(), dir.resolve("data"));
            AgentConfig config = base.withBroker(base.broker().withClientId("gateway-twin"));
            MqttClient twin = new MqttClient(broker.url(), "gateway-twin", new MemoryPersistence());
            try (Agent agent = new Agent(config)) {
                agent.start();
                assertThat(agent.awaitConnected(Duration.ofSeconds(30))).isTrue();
                MqttConnectOptions options = new MqttConnectOptions();
                options.setCleanSession(false);
                options.setAutomaticReconnect(true);
                options.setMaxReconnectDelay(1000);
                twin.connect(options);

                await("the takeover pattern is recognised").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> agent.ingest().suspectedTakeovers() > 0);

                assertThat(log.warnings()).filteredOn(w -> w.contains(TAKEOVER_HINT)).singleElement().asString()
                        .contains("MQTT ingest").contains("Give every gateway its own broker.clientId");
            } finally {
                twin.disconnectForcibly(1000, 1000);
                twin.close(true);
            }
        }
    }
}
