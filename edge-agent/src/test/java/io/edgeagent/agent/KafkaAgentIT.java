package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.testing.AgentProcess;
import io.edgeagent.testing.KafkaBroker;
import io.edgeagent.testing.KafkaBroker.Received;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TcpForwarder;
import io.edgeagent.testing.UplinkCollector;
import io.edgeagent.testing.UplinkCollector.Uploaded;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as a child process uploading into a real KRaft broker (in this JVM, one for the class, on a
 * port fixed before it starts so the agent can be pointed at it while it is still down): nothing is lost while Kafka
 * is down, nor when the agent is killed with SIGKILL mid-drain; duplicates carry the id of their first copy.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaAgentIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long TS0 = 1_795_000_000_000L;
    private static final String TOPIC = "edge-events";

    @TempDir
    static Path kafkaDir;
    private static int kafkaPort;
    private static KafkaBroker kafka;
    private static TcpForwarder bootstrap;

    @TempDir
    Path dir;
    private MosquittoBroker broker;
    private Path config;
    private Process agent;
    private int logs;

    @BeforeAll
    static void reserveKafkaPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            kafkaPort = free.getLocalPort();
        }
    }

    /**
     * The class's broker, started on first use, reached at the reserved port (the agent's bootstrap address) through
     * a forwarder; after bootstrap the client connects to the broker's own port, as with any Kafka.
     */
    private static KafkaBroker kafka() throws Exception {
        if (kafka == null) {
            kafka = KafkaBroker.start(kafkaDir);
            kafka.createTopic(TOPIC, 3, Map.of());
            String[] server = kafka.bootstrapServers().split(",")[0].split(":");
            bootstrap = new TcpForwarder(kafkaPort, server[0], Integer.parseInt(server[1]));
        }
        return kafka;
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (bootstrap != null) {
            bootstrap.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        broker = MosquittoBroker.start(dir);
        Path rules = Files.createDirectories(dir.resolve("rules"));
        config = dir.resolve("config.yaml");
        Files.writeString(config, String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: kafka-it-" + Long.toHexString(System.nanoTime()),
                "inputs:",
                "  - name: readings",
                "    topic: sensors/+/+",
                "rules:",
                "  directory: " + rules,
                "  watch: false",
                "data:",
                "  directory: " + dir.resolve("data"),
                "admin:",
                "  enabled: false",
                "uplink:",
                "  enabled: true",
                "  type: kafka",
                "  clientId: gateway-" + Long.toHexString(System.nanoTime()),
                "  batchSize: 200",
                "  timeout: 2s",
                "  retryMin: 100ms",
                "  retryMax: 1s",
                "  kafka:",
                "    bootstrapServers: 127.0.0.1:" + kafkaPort,
                "    topic: " + TOPIC,
                "    deliveryTimeout: 5s",
                ""));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        AgentProcess.stop(agent);
        broker.close();
    }

    private Path startAgent() throws IOException {
        Path log = dir.resolve("agent-" + ++logs + ".log");
        agent = AgentProcess.startSubscribed(config, log, WAIT);
        return log;
    }

    private static void publish(MqttProbe device, int i) throws Exception {
        device.publish("sensors/dev-" + i % 5 + "/temperature", "{\"deviceId\":\"dev-" + i % 5
                + "\",\"type\":\"temperature\",\"value\":" + i + ",\"ts\":" + (TS0 + i) + "}");
    }

    /** This agent's events in the topic (the topic is shared by the tests), read until every value arrived. */
    private List<Uploaded> uploaded(String agentId, int count) throws Exception {
        List<Received> records = kafka().read(TOPIC, r -> r.stream().filter(x -> agentId.equals(x.headers().get("edge-agent")))
                .map(x -> x.headers().get("edge-event-id")).distinct().count() >= count, WAIT);
        assertThat(records).as("records of %s", agentId).isNotEmpty();
        List<Uploaded> events = new ArrayList<>();
        for (Received r : records) {
            if (agentId.equals(r.headers().get("edge-agent"))) {
                assertThat(r.headers().get("edge-event-id")).isEqualTo(r.event().id());
                assertThat(r.key()).isEqualTo(r.event().deviceId());
                events.add(r.event());
            }
        }
        return events;
    }

    private String agentId() throws IOException {
        return Files.readAllLines(config).stream().filter(l -> l.startsWith("  clientId: gateway-")).findFirst()
                .orElseThrow().substring("  clientId: ".length());
    }

    /** None missing, one id per reading, and each device's first copies in the order the device sent them. */
    private static void assertComplete(List<Uploaded> events, int count) {
        Map<Double, Set<String>> idsByValue = events.stream().collect(Collectors.groupingBy(Uploaded::value,
                Collectors.mapping(Uploaded::id, Collectors.toSet())));
        assertThat(idsByValue.keySet()).as("none missing")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).mapToObj(i -> (double) i).toList());
        assertThat(idsByValue.values()).as("a duplicate keeps its id").allSatisfy(ids -> assertThat(ids).hasSize(1));
        UplinkCollector.arrivalOrderByDevice(events).forEach((device, values) ->
                assertThat(values).as("first copies of %s in order", device).isSorted());
    }

    /** First: the class's broker is started by this test, after the agent found it down. */
    @Test
    @Order(1)
    void kafkaDown_wholeRunThenUp_everyEventArrives() throws Exception {
        int count = 500;
        Path log = startAgent();
        try (MqttProbe device = new MqttProbe(broker.url())) {
            for (int i = 0; i < count; i++) {
                publish(device, i);
            }
        }
        await("the agent says Kafka is unreachable").atMost(WAIT).until(() ->
                Files.readString(log).contains("is unreachable"));

        List<Uploaded> events = uploaded(agentId(), count);
        assertComplete(events, count);
        assertThat(Files.readString(log).lines().filter(l -> l.contains("is unreachable")).count())
                .as("one line for the whole episode").isEqualTo(1);
        assertThat(Files.readString(log)).contains("works again after");
    }

    @Test
    @Order(2)
    void kill9_midDrain_everyEventArrivesAndDuplicatesKeepTheirId() throws Exception {
        kafka();
        int count = 3000;
        String agentId = agentId();
        startAgent();
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            try (MqttProbe device = new MqttProbe(broker.url())) {
                for (int i = 0; i < count; i++) {
                    publish(device, i);
                    published.incrementAndGet();
                    // About 1,500 messages a second, so the kill lands in the middle of the stream.
                    LockSupport.parkNanos(600_000);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(UplinkCollector.distinctIds(uploaded(agentId, 600))).as("uploads under way").hasSizeGreaterThanOrEqualTo(600);
        agent.destroyForcibly();
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(published.get()).as("killed mid-stream").isLessThan(count);

        startAgent();
        publisher.get(60, TimeUnit.SECONDS);
        List<Uploaded> events = uploaded(agentId, count);
        assertComplete(events, count);
        System.out.printf("Kafka: kill -9 after %d published; %d records for %d events (%d duplicates)%n",
                published.get(), events.size(), count, events.size() - count);
    }
}
