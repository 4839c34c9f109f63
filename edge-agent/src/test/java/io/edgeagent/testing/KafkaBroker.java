package io.edgeagent.testing;

import static org.awaitility.Awaitility.await;

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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, broker and controller in one node) in this JVM, from Kafka's own test kit: no
 * Docker, about 5 s to start. Topics are not created automatically, so a test says which exist.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Listeners of {@link #startSecured}: TLS with a server certificate only. */
    public static final String TLS = "TLS";
    /** TLS that requires a client certificate (the user is the certificate's subject, {@code User:CN=...}). */
    public static final String MUTUAL_TLS = "MTLS";
    /** SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) over TLS. */
    public static final String SASL_SSL = "SASL";

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
        return start(nodes(dir), settings);
    }

    /**
     * A broker that, beside its plaintext listener (whose anonymous user is a super user, for the tests' own admin and
     * reads), has the secured listeners {@link #TLS}, {@link #MUTUAL_TLS} (client certificate required) and
     * {@link #SASL_SSL} (PLAIN, SCRAM-SHA-256 and -512 over TLS), all with a certificate from {@code ca}, and
     * authorizes with ACLs: a user of a secured listener may do only what {@link #allowWrite} granted.
     *
     * @param plainUsers the PLAIN users and their passwords; SCRAM users are added with {@link #addScramUser}
     */
    public static KafkaBroker startSecured(Path dir, TestCa ca, Map<String, String> plainUsers) throws Exception {
        TestKitNodes nodes = nodes(dir);
        String plaintext = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        TestCa.Issued server = ca.issue("localhost");
        Map<String, Object> settings = new HashMap<>();
        // Port 0: the test kit binds only its own two listeners ahead; the others get a free port when the broker
        // starts.
        settings.put("listeners", Stream.of(plaintext, controller, TLS, MUTUAL_TLS, SASL_SSL)
                .map(name -> name + "://localhost:0").collect(Collectors.joining(",")));
        settings.put("listener.security.protocol.map", plaintext + ":PLAINTEXT," + controller + ":PLAINTEXT," + TLS
                + ":SSL," + MUTUAL_TLS + ":SSL," + SASL_SSL + ":SASL_SSL");
        settings.put("ssl.keystore.type", "PEM");
        settings.put("ssl.keystore.certificate.chain", server.chainPem());
        settings.put("ssl.keystore.key", server.keyPem());
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.certificates", ca.certificatePem());
        settings.put(prefix(MUTUAL_TLS) + "ssl.client.auth", "required");
        settings.put(prefix(SASL_SSL) + "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        String users = plainUsers.entrySet().stream().map(u -> " user_" + u.getKey() + "=\"" + u.getValue() + "\"")
                .collect(Collectors.joining());
        settings.put(prefix(SASL_SSL) + "plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required" + users + ";");
        for (String scram : new String[] {"scram-sha-256", "scram-sha-512"}) {
            settings.put(prefix(SASL_SSL) + scram + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        settings.put("super.users", "User:ANONYMOUS");
        return start(nodes, settings);
    }

    private static String prefix(String listener) {
        return "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
    }

    private static TestKitNodes nodes(Path dir) {
        return new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBaseDirectory(dir).build();
    }

    private static KafkaBroker start(TestKitNodes nodes, Map<String, Object> settings) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
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

    /** The address of one of the listeners of {@link #startSecured}. */
    public String bootstrapServers(String listener) {
        return "localhost:" + cluster.brokers().values().iterator().next().boundPort(ListenerName.normalised(listener));
    }

    /** Adds (or replaces) a SCRAM user, as {@code kafka-configs --alter --add-config SCRAM-SHA-256=..} does. */
    public void addScramUser(String user, String password, ScramMechanism mechanism) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(mechanism, 4096), password))).all().get();
        }
    }

    /**
     * Lets {@code principal} (e.g. {@code User:gw}) write to every topic whose name starts with {@code prefix}, as
     * {@code kafka-acls --producer --resource-pattern-type prefixed} does.
     */
    public void allowWrite(String principal, String prefix) throws Exception {
        allow(principal, prefix, AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    /** Allows {@code operations} on every topic whose name starts with {@code prefix}. */
    public void allow(String principal, String prefix, AclOperation... operations) throws Exception {
        ResourcePattern resource = new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED);
        try (Admin admin = cluster.admin()) {
            admin.createAcls(Stream.of(operations).map(operation -> new AclBinding(resource,
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW))).toList()).all().get();
        }
    }

    /**
     * Creates a topic and returns once the broker serves it: the controller confirms a topic before the broker's
     * metadata has it, and a producer asking in between (on a loaded machine, for seconds) would not find it.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            await("topic " + name + " in the broker's metadata").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.describeTopics(List.of(name)).allTopicNames().get().containsKey(name));
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
