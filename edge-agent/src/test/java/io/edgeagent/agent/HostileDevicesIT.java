package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.actions.ActionRun;
import io.edgeagent.buffer.StoredDeadLetter;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's reproductions against a real Mosquitto and the repository's configuration and rules: timestamps that
 * used to kill the pipeline thread (and, redelivered, every restart's) are dead letters with the reason, and a device
 * id that would have changed a command's topic refuses the action run instead.
 */
@Timeout(90)
class HostileDevicesIT {

    private static MosquittoBroker broker;

    @TempDir
    Path data;

    private Agent agent;
    private MqttProbe probe;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = MosquittoBroker.start(Files.createTempDirectory("mosquitto"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (agent != null) {
            agent.stop();
        }
    }

    private Agent start(AgentConfig config) throws InterruptedException {
        Agent started = new Agent(config);
        started.start();
        assertThat(started.awaitConnected(Duration.ofSeconds(20))).as("agent connected").isTrue();
        return started;
    }

    @Test
    void absurdTimestamps_becomeDeadLetters_andIngestGoesOnAcrossARestart() throws Exception {
        AgentConfig config = TestConfigs.repositoryConfig(broker.url(), data);
        agent = start(config);
        probe = new MqttProbe(broker.url(), "actuators/#");

        probe.publish("sensors/x/t", "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"ts\":\"+999999999-12-31T23:59:59Z\"}");
        probe.publish("tele/tz/SENSOR", "{\"Time\":\"+999999999-12-31T23:59:59\",\"AM2301\":{\"Temperature\":21.3}}");
        probe.publish("sensors/x/t", "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"ts\":99999999999999999999}");
        probe.publish("sensors/room-1/temperature", "{\"deviceId\":\"room-1\",\"type\":\"temperature\",\"value\":9.5}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/room-1/command").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.counters().acknowledged() >= 4);
        List<StoredDeadLetter> dead = agent.buffer().recentDeadLetters(10);
        assertThat(dead).hasSize(3).allSatisfy(d -> assertThat(d.reason()).contains("pipeline.eventTime"));
        assertThat(agent.counters().decodeErrors()).isEqualTo(3);

        agent.stop();
        agent = start(config);
        probe.publish("sensors/room-2/temperature", "{\"deviceId\":\"room-2\",\"type\":\"temperature\",\"value\":9.5}");

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/room-2/command").isEmpty());
        assertThat(agent.counters().decodeErrors()).as("nothing was left to redeliver").isZero();
    }

    @Test
    void deviceIdThatWouldAddTopicLevels_refusesTheRunVisibly_andPublishesNothingForIt() throws Exception {
        agent = start(TestConfigs.repositoryConfig(broker.url(), data));
        probe = new MqttProbe(broker.url(), "actuators/#");

        probe.publish("sensors/evil/temperature", "{\"deviceId\":\"../x\",\"type\":\"temperature\",\"value\":9.5}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !agent.actions().log().failed(10).isEmpty());
        probe.publish("sensors/room-3/temperature", "{\"deviceId\":\"room-3\",\"type\":\"temperature\",\"value\":9.5}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/room-3/command").isEmpty());

        ActionRun refused = agent.actions().log().failed(10).get(0);
        assertThat(refused.key()).isEqualTo("../x");
        assertThat(refused.error()).contains("refused: field deviceId (\"../x\")").contains("would add a topic level");
        assertThat(probe.received()).extracting(MqttProbe.Received::topic).containsExactly("actuators/room-3/command");
    }
}
