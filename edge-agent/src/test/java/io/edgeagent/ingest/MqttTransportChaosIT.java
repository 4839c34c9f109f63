package io.edgeagent.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.agent.Agent;
import io.edgeagent.config.BrokerConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TcpForwarder;
import io.edgeagent.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT transport under input and load that used to wedge it, against a real Mosquitto: a topic outside the BMP,
 * a pipeline held for longer than two keep-alives while messages keep coming, and a broker restart in the middle of
 * that. Connections are counted from the broker's own log.
 */
@Timeout(120)
class MqttTransportChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(2);
    /** Much smaller than the broker's in-flight window (1000): the hand-off fills and ingest must pause. */
    private static final int HAND_OFF = 50;

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Agent agent;

    @AfterEach
    void stopAll() {
        if (agent != null) {
            agent.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void agent_qos1MessageOnANonBmpTopic_storesItWithItsTopicAndKeepsTheConnection() throws Exception {
        broker = MosquittoBroker.start(dir);
        agent = new Agent(TestConfigs.repositoryConfig(broker.url(), dir.resolve("data")));
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(10))).isTrue();
        String topic = "sensors/\uD83D\uDD25/temperature";

        // The issue's reproduction, with Mosquitto's own client so that our encoder plays no part.
        Process pub = new ProcessBuilder("mosquitto_pub", "-p", String.valueOf(broker.port()), "-q", "1", "-t", topic,
                "-m", "{\"deviceId\":\"f\",\"type\":\"temperature\",\"value\":1}").redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        try (MqttProbe device = new MqttProbe(broker.url())) {
            for (int i = 0; i < 10; i++) {
                device.publish("sensors/d/temperature", reading("d", i));
            }
        }

        await("the emoji reading and ten after it stored").atMost(WAIT).until(() -> agent.buffer().depth() == 11);
        ObjectMapper json = new ObjectMapper();
        List<String> topics = new ArrayList<>();
        for (BufferedEvent event : agent.buffer().peek(100)) {
            topics.add(json.readTree(event.body()).get("topic").asText());
        }
        assertThat(topics).contains(topic).hasSize(11);
        assertThat(agent.buffer().deadLetters()).isZero();
        assertThat(agent.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(connectionsOf(agent.config().broker().clientId())).as("connections to the broker").isEqualTo(1);
    }

    @Test
    void ingest_pipelineHeldForLongerThanTwoKeepAlives_staysConnectedAndDeliversEveryMessageOnce() throws Exception {
        broker = MosquittoBroker.start(dir);
        int count = 2000;
        try (HeldPipeline pipeline = new HeldPipeline(HAND_OFF);
             MqttIngest ingest = new MqttIngest(brokerConfig("held"), List.of("sensors/#"), pipeline)) {
            ingest.start();
            assertThat(ingest.awaitConnected(Duration.ofSeconds(10))).isTrue();
            pipeline.hold();
            publish(0, count);

            await("the hand-off full and ingest paused").atMost(WAIT).until(() -> ingest.pauses() >= 1);
            await("connected through more than two keep-alives of the stall").during(KEEP_ALIVE.multipliedBy(5)
                    .dividedBy(2)).atMost(KEEP_ALIVE.multipliedBy(4)).until(() -> ingest.state() == ConnectionState.CONNECTED);
            assertThat(ingest.refused()).as("refused while held").isPositive();
            pipeline.release();

            await("every message arrived").atMost(WAIT).until(() -> pipeline.distinct() == count);
            assertThat(pipeline.duplicates()).as("stored twice; %s unacknowledged, %s redelivered, %s refused, first %s",
                    ingest.unacknowledged(), ingest.redelivered(), ingest.refused(), pipeline.firstStored()).isZero();
            assertThat(ingest.unacknowledged()).isZero();
            assertThat(ingest.renewals()).as("connections renewed after a pause").isPositive();
            assertThat(ingest.transportFailures()).isZero();
            assertThat(ingest.lostQos0()).isZero();
            assertThat(connectionsOf("held")).as("connections: the first and one per renewal")
                    .isEqualTo(1 + ingest.renewals());
            await().atMost(WAIT).until(() -> ingest.state() == ConnectionState.CONNECTED);
        }
    }

    @Test
    void ingest_brokerRestartDuringAHeldPipeline_recoversAndDeliversEveryMessageWithCountedDuplicates() throws Exception {
        int port = MosquittoBroker.freePort();
        broker = MosquittoBroker.start(dir, port, true);
        try (HeldPipeline pipeline = new HeldPipeline(HAND_OFF);
             MqttIngest ingest = new MqttIngest(brokerConfig("restart"), List.of("sensors/#"), pipeline)) {
            ingest.start();
            assertThat(ingest.awaitConnected(Duration.ofSeconds(10))).isTrue();
            pipeline.hold();
            publish(0, 1000);
            await("the hand-off full and ingest paused").atMost(WAIT).until(() -> ingest.pauses() >= 1);

            broker.close();
            await("the loss noticed").atMost(WAIT).until(() -> ingest.state() != ConnectionState.CONNECTED);
            broker = MosquittoBroker.start(dir, port, true);
            assertThat(ingest.awaitConnected(WAIT)).as("reconnected by itself").isTrue();
            publish(1000, 2000);
            pipeline.release();

            await("every message arrived").atMost(WAIT).until(() -> pipeline.distinct() == 2000);
            assertThat(pipeline.duplicates()).as("stored twice: only what was handed over before the restart")
                    .isLessThanOrEqualTo(ingest.unacknowledged())
                    .isLessThanOrEqualTo(HAND_OFF);
            assertThat(ingest.transportFailures()).isZero();
            await().atMost(WAIT).until(() -> ingest.state() == ConnectionState.CONNECTED);
        }
    }

    /**
     * What a broken broker or a damaged link can put on the wire: a PUBLISH with the reserved QoS 3 (Paho's decoder
     * throws a runtime exception on its receiver thread) and a packet of a type MQTT 3.1.1 does not have (Paho's own
     * exception). Each ends that connection, is counted, and the next connection goes on where it stopped.
     */
    @Test
    void ingest_damagedPacketsFromTheBroker_replacesTheConnectionAndLosesNothing() throws Exception {
        broker = MosquittoBroker.start(dir);
        int port = MosquittoBroker.freePort();
        try (TcpForwarder link = new TcpForwarder(port, "127.0.0.1", broker.port());
             HeldPipeline pipeline = new HeldPipeline(HAND_OFF);
             MqttIngest ingest = new MqttIngest(brokerConfig("damaged", "tcp://127.0.0.1:" + port),
                     List.of("sensors/#"), pipeline)) {
            ingest.start();
            assertThat(ingest.awaitConnected(Duration.ofSeconds(10))).isTrue();
            publish(0, 300);
            await("the first messages arrived").atMost(WAIT).until(() -> pipeline.distinct() == 300);

            assertThat(link.injectToClients(publishPacket(0x36))).isEqualTo(1);
            await("the runtime exception counted").atMost(WAIT).until(() -> ingest.transportFailures() == 1);
            await("reconnected").atMost(WAIT).until(() -> connectionsOf("damaged") == 2
                    && ingest.state() == ConnectionState.CONNECTED);
            publish(300, 600);
            await("messages after the first damaged packet").atMost(WAIT).until(() -> pipeline.distinct() == 600);

            assertThat(link.injectToClients(new byte[] {(byte) 0xF0, 0})).isEqualTo(1);
            await("reconnected again").atMost(WAIT).until(() -> connectionsOf("damaged") == 3
                    && ingest.state() == ConnectionState.CONNECTED);
            publish(600, 900);

            await("every message arrived").atMost(WAIT).until(() -> pipeline.distinct() == 900);
            assertThat(pipeline.duplicates()).as("stored twice").isZero();
            assertThat(ingest.transportFailures()).as("Paho's own exception is a connection loss, not a failure")
                    .isEqualTo(1);
        }
    }

    /** A PUBLISH with the given first byte, a valid topic, message id 1 and a small payload. */
    private static byte[] publishPacket(int firstByte) {
        byte[] topic = "sensors/x/temperature".getBytes(StandardCharsets.UTF_8);
        byte[] payload = reading("x", 1).getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + topic.length + 2 + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        out.write(remaining);
        out.write(0);
        out.write(topic.length);
        out.writeBytes(topic);
        out.write(0);
        out.write(1);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private BrokerConfig brokerConfig(String clientId) {
        return brokerConfig(clientId, broker.url());
    }

    private BrokerConfig brokerConfig(String clientId, String url) {
        return new BrokerConfig(url, clientId, null, null, null, 1, KEEP_ALIVE, Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ofSeconds(2), null);
    }

    private void publish(int from, int to) throws Exception {
        try (MqttProbe device = new MqttProbe(broker.url())) {
            for (int i = from; i < to; i++) {
                device.publish("sensors/d" + i % 4 + "/temperature", reading("d" + i % 4, i));
            }
        }
    }

    private static String reading(String deviceId, int value) {
        return "{\"deviceId\":\"" + deviceId + "\",\"type\":\"temperature\",\"value\":" + value + "}";
    }

    /** Connections the broker accepted from {@code clientId}, from its log. */
    private long connectionsOf(String clientId) throws IOException {
        Pattern accepted = Pattern.compile("New client connected from \\S+ as " + Pattern.quote(clientId) + " \\(");
        return Files.readAllLines(broker.log()).stream().filter(line -> accepted.matcher(line).find()).count();
    }

    /**
     * A stand-in for the pipeline: a bounded queue drained by one thread that records each message and runs its
     * acknowledgement in order, and that a test can hold (a stalled buffer) and release.
     */
    private static final class HeldPipeline implements MessageSink, AutoCloseable {

        private final BlockingQueue<InboundMessage> queue;
        private final List<String> stored = new ArrayList<>();
        private final Thread thread = new Thread(this::run, "test-held-pipeline");
        private volatile boolean held;
        private volatile boolean closed;

        HeldPipeline(int capacity) {
            queue = new ArrayBlockingQueue<>(capacity);
            thread.start();
        }

        @Override
        public boolean offer(InboundMessage message, long timeout, TimeUnit unit) throws InterruptedException {
            return queue.offer(message, timeout, unit);
        }

        void hold() {
            held = true;
        }

        void release() {
            held = false;
            synchronized (this) {
                notifyAll();
            }
        }

        synchronized int distinct() {
            return new HashSet<>(stored).size();
        }

        synchronized List<String> firstStored() {
            return List.copyOf(stored.subList(0, Math.min(60, stored.size())));
        }

        synchronized long duplicates() {
            Set<String> seen = new HashSet<>();
            return stored.stream().filter(payload -> !seen.add(payload)).count();
        }

        private void run() {
            try {
                while (!closed) {
                    synchronized (this) {
                        while (held && !closed) {
                            wait(100);
                        }
                    }
                    InboundMessage message = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (message != null) {
                        synchronized (this) {
                            stored.add(new String(message.payload(), StandardCharsets.UTF_8));
                        }
                        message.acknowledgement().run();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed = true;
            release();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
