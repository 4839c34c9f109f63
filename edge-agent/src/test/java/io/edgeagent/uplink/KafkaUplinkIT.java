package io.edgeagent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.config.KafkaUplinkConfig;
import io.edgeagent.config.TlsConfig;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.testing.KafkaBroker;
import io.edgeagent.testing.KafkaBroker.Received;
import io.edgeagent.testing.LogCapture;
import io.edgeagent.uplink.kafka.KafkaUplinkTarget;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka uplink against a real single-node KRaft broker (in this JVM, shared by the tests of this class; topics
 * are created by each test, auto-creation is off): the drain loop of {@link Uplink} over an in-memory outbox.
 */
@Timeout(120)
class KafkaUplinkIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static UplinkConfig config(String servers, String topic, KafkaUplinkConfig.Sasl sasl) {
        return new UplinkConfig(true, "kafka", null, null, "gw-1", null, null, TlsConfig.NONE, null, 100, false,
                Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(1), 0.5, null, null,
                new KafkaUplinkConfig(servers, topic, false, sasl, "lz4", null, null, Duration.ofSeconds(5)));
    }

    private static long seq(Received r) {
        try {
            return JSON.readTree(r.value()).get("seq").asLong();
        } catch (Exception e) {
            throw new UncheckedIOException(new java.io.IOException(e));
        }
    }

    @Test
    void drain_threeDevices_everyEventOnceInDeviceOrderKeyedWithIdHeader() throws Exception {
        kafka.createTopic("readings-gw-1", 3, Map.of());
        MemoryOutbox outbox = new MemoryOutbox();
        for (int round = 0; round < 50; round++) {
            outbox.add("dev-a", 3);
            outbox.add("dev-b", 2);
            outbox.add("dev/c", 1);
        }
        try (Uplink uplink = Uplink.create(config(kafka.bootstrapServers(), "readings-{clientId}", null), outbox)) {
            uplink.start();
            await("outbox drained").atMost(WAIT).until(() -> outbox.depth() == 0);
            assertThat(uplink.stats().sentEvents()).isEqualTo(300);
            assertThat(uplink.stats().connected()).isTrue();
        }

        List<Received> records = kafka.read("readings-gw-1", 300, WAIT);
        assertThat(records).hasSize(300);
        assertThat(records).allSatisfy(r -> {
            JsonNode value = JSON.readTree(r.value());
            assertThat(r.headers()).containsEntry(KafkaUplinkTarget.EVENT_ID, value.get("id").asText())
                    .containsEntry(KafkaUplinkTarget.AGENT, "gw-1");
            assertThat(r.key()).isEqualTo(value.get("deviceId").asText());
        });
        Map<String, List<Received>> byDevice = records.stream().collect(Collectors.groupingBy(Received::key));
        assertThat(byDevice.keySet()).containsExactlyInAnyOrder("dev-a", "dev-b", "dev/c");
        byDevice.values().forEach(device -> {
            assertThat(device.stream().map(Received::partition).distinct()).as("one partition per device").hasSize(1);
            List<Long> seqs = device.stream().sorted(java.util.Comparator.comparingLong(Received::offset))
                    .map(KafkaUplinkIT::seq).toList();
            assertThat(seqs).as("in order").isSorted();
        });
    }

    @Test
    void drain_topicPerKind_fillsThePlaceholder() throws Exception {
        kafka.createTopic("edge.Reading", 1, Map.of());
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.add("dev-a", 5);
        try (Uplink uplink = Uplink.create(config(kafka.bootstrapServers(), "edge.{kind}", null), outbox)) {
            uplink.start();
            await("outbox drained").atMost(WAIT).until(() -> outbox.depth() == 0);
        }
        assertThat(kafka.read("edge.Reading", 5, WAIT)).hasSize(5);
    }

    @Test
    void drain_topicMissing_keepsEventsSaysSoAndDrainsOnceCreated() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.add("dev-a", 10);
        try (LogCapture log = new LogCapture(Uplink.class);
             Uplink uplink = Uplink.create(config(kafka.bootstrapServers(), "not-yet", null), outbox)) {
            uplink.start();
            await("a failed attempt").atMost(WAIT).until(() -> uplink.stats().failedAttempts() > 0);
            assertThat(outbox.depth()).isEqualTo(10);
            assertThat(uplink.stats().lastError()).contains("topic not-yet is not on Kafka");
            assertThat(log.warnings()).singleElement().asString().contains("topic not-yet is not on Kafka");

            kafka.createTopic("not-yet", 1, Map.of());
            await("outbox drained").atMost(WAIT).until(() -> outbox.depth() == 0);
        }
        assertThat(kafka.read("not-yet", 10, WAIT)).hasSize(10);
    }

    @Test
    void drain_recordTooLarge_deadLettersItWithTheReasonAndDeliversTheRest() throws Exception {
        kafka.createTopic("small", 1, Map.of("max.message.bytes", "2000"));
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.add("dev-a", 3);
        outbox.addPadded("dev-a", 5000);
        outbox.add("dev-a", 3);
        try (LogCapture log = new LogCapture(Uplink.class);
             Uplink uplink = Uplink.create(config(kafka.bootstrapServers(), "small", null), outbox)) {
            uplink.start();
            await("outbox drained").atMost(WAIT).until(() -> outbox.depth() == 0);
            assertThat(uplink.stats().rejectedEvents()).isEqualTo(1);
            assertThat(log.warnings()).singleElement().asString().contains("refused 1 events for good")
                    .contains("e-4");
        }
        assertThat(outbox.deadLetters).singleElement().satisfies(r -> {
            assertThat(r.event().id()).isEqualTo("e-4");
            assertThat(r.destination()).isEqualTo("kafka:small");
            assertThat(r.reason()).contains("RecordTooLargeException");
        });
        assertThat(kafka.read("small", 6, WAIT)).extracting(r -> r.headers().get(KafkaUplinkTarget.EVENT_ID))
                .containsExactly("e-1", "e-2", "e-3", "e-5", "e-6", "e-7");
    }

    @Test
    void drain_brokerUnreachable_keepsEventsAndSaysUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.add("dev-a", 10);
        try (LogCapture log = new LogCapture(Uplink.class);
             Uplink uplink = Uplink.create(config("127.0.0.1:" + closedPort, "any", null), outbox)) {
            uplink.start();
            await("two failed attempts").atMost(WAIT).until(() -> uplink.stats().failedAttempts() > 1);
            assertThat(outbox.depth()).isEqualTo(10);
            assertThat(uplink.stats().connected()).isFalse();
            assertThat(log.warnings()).singleElement().asString().contains("is unreachable");
        }
    }
}
