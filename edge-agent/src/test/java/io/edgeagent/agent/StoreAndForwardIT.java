package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import io.edgeagent.testing.UplinkCollector;
import io.edgeagent.testing.UplinkCollector.Uploaded;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Store-and-forward with real parts: Mosquitto in front of the agent, its H2 buffer on disk, and a real upstream
 * (an HTTP server, or a second Mosquitto) that goes away while events keep arriving and comes back.
 */
@Timeout(90)
class StoreAndForwardIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int DEVICES = 4;
    private static final long TS0 = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Agent agent;

    @BeforeEach
    void startBroker() throws Exception {
        broker = MosquittoBroker.start(dir);
    }

    @AfterEach
    void stopAll() {
        if (agent != null) {
            agent.stop();
        }
        broker.close();
    }

    private static UplinkConfig http(String url, double backlogShare) {
        return new UplinkConfig(true, "http", url, null, "gateway-it", null, null, null, null, 100, true,
                Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(300), backlogShare, null);
    }

    private Agent startAgent(BufferConfig buffer, UplinkConfig uplink) throws Exception {
        AgentConfig config = TestConfigs.repositoryConfig(broker.url(), dir.resolve("data"))
                .withBuffer(buffer).withUplink(uplink);
        agent = new Agent(config);
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(10))).isTrue();
        return agent;
    }

    /** Readings with a timestamp (so a redelivered copy keeps its id) and their number as the value. */
    private void publish(int from, int to) throws Exception {
        try (MqttProbe device = new MqttProbe(broker.url())) {
            for (int i = from; i < to; i++) {
                String deviceId = "dev-" + i % DEVICES;
                device.publish("sensors/" + deviceId + "/temperature", "{\"deviceId\":\"" + deviceId
                        + "\",\"type\":\"temperature\",\"value\":" + i + ",\"ts\":" + (TS0 + i) + "}");
            }
        }
    }

    private static Map<String, List<Double>> publishedOrder(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.groupingBy(i -> "dev-" + i % DEVICES, TreeMap::new,
                Collectors.mapping(i -> (double) i, Collectors.toList())));
    }

    private static BufferConfig buffer(String policy, long maxBytes) {
        return new BufferConfig(new ByteSize(maxBytes), null, policy, null, null, null, null);
    }

    @Test
    void httpUplink_serverFailingWithBackpressureAndASmallBuffer_deliversEveryEventInOrderPerDevice() throws Exception {
        int count = 1500;
        try (UplinkCollector upstream = new UplinkCollector()) {
            upstream.failWith(503);
            startAgent(buffer(BufferConfig.POLICY_BACKPRESSURE, 64 * 1024), http(upstream.url(), 1.0));

            publish(0, count);
            await("the buffer refuses appends at its bound").atMost(WAIT).until(() -> agent.buffer().refused() > 0);
            assertThat(agent.buffer().storedBytes()).isLessThanOrEqualTo(64 * 1024);
            assertThat(agent.counters().events()).as("ingest paused").isLessThan(count);
            upstream.failWith(0);

            await("every event uploaded").atMost(WAIT).until(() -> upstream.distinctIds().size() == count);
            assertThat(UplinkCollector.arrivalOrderByDevice(upstream.events())).isEqualTo(publishedOrder(count));
            assertThat(agent.buffer().dropped()).isZero();
            assertThat(upstream.refused()).isPositive();
            assertThat(agent.uplinkStats().failedAttempts()).isEqualTo(upstream.refused());
            await().atMost(WAIT).until(() -> agent.buffer().depth() == 0);
        }
    }

    @Test
    void httpUplink_serverFailingWithDropOldest_uploadsTheNewestAndCountsTheDropped() throws Exception {
        int count = 1500;
        try (UplinkCollector upstream = new UplinkCollector()) {
            upstream.failWith(500);
            startAgent(buffer(BufferConfig.POLICY_DROP_OLDEST, 64 * 1024), http(upstream.url(), 0.5));

            publish(0, count);
            await("every message stored or dropped").atMost(WAIT).until(() -> agent.counters().events() == count);
            long dropped = agent.buffer().dropped();
            long kept = agent.buffer().depth();
            assertThat(dropped).isPositive().isEqualTo(count - kept);
            upstream.failWith(0);

            await("the buffer drained").atMost(WAIT).until(() -> agent.buffer().depth() == 0);
            Set<Double> values = upstream.events().stream().map(Uploaded::value).collect(Collectors.toSet());
            List<Double> newest = IntStream.range((int) (count - kept), count).mapToObj(i -> (double) i).toList();
            assertThat(values).as("the newest events all arrive").containsAll(newest);
            // The batch that was being retried when its rows were dropped still goes out: at most one batch more.
            assertThat(values.size()).isLessThanOrEqualTo((int) kept + 100);
        }
    }

    @ParameterizedTest(name = "backlogShare {0}")
    @ValueSource(doubles = {0.5, 1.0})
    void httpUplink_endpointRefusesOneEvent_deadLettersItAndDeliversEveryOtherEvent(double backlogShare)
            throws Exception {
        int count = 600;
        try (UplinkCollector upstream = new UplinkCollector()) {
            upstream.refuseValue(337);
            startAgent(buffer(BufferConfig.POLICY_BACKPRESSURE, 16 * 1024 * 1024), http(upstream.url(), backlogShare));

            publish(0, count);

            await("every other event uploaded").atMost(WAIT).until(() -> upstream.distinctIds().size() == count - 1);
            await("the outbox empty").atMost(WAIT).until(() -> agent.buffer().depth() == 0);
            if (backlogShare == 1.0) {
                Map<String, List<Double>> expected = publishedOrder(count);
                expected.get("dev-1").remove(337.0);
                assertThat(UplinkCollector.arrivalOrderByDevice(upstream.events())).isEqualTo(expected);
            }
            assertThat(agent.uplinkStats().rejectedEvents()).isEqualTo(1);
            assertThat(agent.buffer().recentDeadLetters(10)).singleElement().satisfies(d -> {
                assertThat(d.topic()).isEqualTo(upstream.url());
                assertThat(d.reason()).isEqualTo("the endpoint refused the event on its own: 400");
                assertThat(new String(d.payload(), StandardCharsets.UTF_8)).contains("\"value\":337.0");
            });
        }
    }

    @Test
    void mqttUplink_upstreamBrokerStoppedWhileEventsArrive_deliversEverythingOnceItIsBack() throws Exception {
        int port = MosquittoBroker.freePort();
        Path upstreamDir = dir.resolve("upstream");
        java.nio.file.Files.createDirectories(upstreamDir);
        MosquittoBroker upstream = MosquittoBroker.start(upstreamDir, port, true);
        List<Uploaded> received = new CopyOnWriteArrayList<>();
        List<String> topics = new CopyOnWriteArrayList<>();
        // A persistent session: what the agent uploads while the collector reconnects is queued for it.
        MqttClient collector = new MqttClient(upstream.url(), "collector-" + port, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(200);
        options.setMaxInflight(1000);
        // A client-wide callback, not a per-subscription listener: Paho's automatic reconnect does not keep the
        // latter, and would acknowledge the queued messages to nobody.
        collector.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                topics.add(topic);
                received.addAll(UplinkCollector.parse(message.getPayload(), false));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        collector.connect(options);
        collector.subscribe("edge/#", 1);
        try {
            UplinkConfig mqtt = new UplinkConfig(true, "mqtt", upstream.url(), null, "gateway-mqtt-it", null, null,
                    null, null, 100, false, Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(500),
                    null, null);
            startAgent(BufferConfig.defaults(), mqtt);
            publish(0, 200);
            await("uploads flow").atMost(WAIT).until(() -> UplinkCollector.distinctIds(received).size() == 200);

            upstream.close();
            publish(200, 1200);
            await("the agent stored them").atMost(WAIT).until(() -> agent.counters().events() == 1200);
            await().atMost(WAIT).until(() -> agent.uplinkStats().consecutiveFailures() > 0);
            assertThat(agent.buffer().depth()).isEqualTo(1000);
            upstream = MosquittoBroker.start(upstreamDir, port, true);

            await("every event uploaded").atMost(WAIT).untilAsserted(() ->
                    assertThat(UplinkCollector.distinctIds(received)).hasSize(1200));
            assertThat(topics).containsOnly("edge/gateway-mqtt-it/events");
            assertThat(received).extracting(Uploaded::agent).containsOnly("gateway-mqtt-it");
            Map<String, List<Double>> bySeq = new TreeMap<>();
            received.stream().sorted(Comparator.comparingLong(Uploaded::seq)).map(u -> u)
                    .collect(Collectors.toMap(Uploaded::id, u -> u, (a, b) -> a, java.util.LinkedHashMap::new))
                    .values().forEach(u -> bySeq.computeIfAbsent(u.deviceId(), d -> new ArrayList<>()).add(u.value()));
            assertThat(bySeq).as("seq restores each device's order").isEqualTo(publishedOrder(1200));
            assertThat(agent.buffer().dropped()).isZero();
            await().atMost(WAIT).until(() -> agent.buffer().depth() == 0);
        } finally {
            collector.disconnectForcibly(500);
            collector.close();
            upstream.close();
        }
    }
}
