package io.edgeagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, broker and controller in one node) in this JVM, from Kafka's own test kit: no
 * Docker, about 5 s to start. Topics are not created automatically, so a test says which exist.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaClusterTestKit cluster;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** A broker on a free port. */
    public static KafkaBroker start(Path dir) throws Exception {
        return start(dir, Map.of());
    }

    /** A broker with extra server settings, e.g. {@code listeners} to fix its port. */
    public static KafkaBroker start(Path dir, Map<String, Object> settings) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build())
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1");
        settings.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaBroker(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
        }
    }

    /** Every record of {@code topic} from the start, read until {@code expected} arrived or {@code within} passed. */
    public List<Received> read(String topic, int expected, Duration within) {
        return read(topic, records -> records.size() >= expected, within);
    }

    /** Every record of {@code topic} from the start, in each partition's order, read until {@code done} or {@code within}. */
    public List<Received> read(String topic, Predicate<List<Received>> done, Duration within) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<Received> received = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            // Assigned, not subscribed: no consumer group to join, so reading starts at once.
            consumer.assign(consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList());
            consumer.seekToBeginning(consumer.assignment());
            while (!done.test(received) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new HashMap<>();
                    for (Header h : r.headers()) {
                        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                    }
                    received.add(new Received(r.partition(), r.offset(), r.key(), r.value(), headers));
                }
            }
        }
        return received;
    }

    /** One record as a consumer saw it. */
    public record Received(int partition, long offset, String key, String value, Map<String, String> headers) {

        /** The event in the value, as the other uplinks' tests see theirs (no batch key: Kafka has none). */
        public UplinkCollector.Uploaded event() {
            try {
                JsonNode e = JSON.readTree(value);
                return new UplinkCollector.Uploaded(headers.get("edge-agent"), "", e.path("id").asText(),
                        e.path("deviceId").asText(), e.path("seq").asLong(), e.path("value").asDouble());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("stopping Kafka failed", e);
        }
    }
}
