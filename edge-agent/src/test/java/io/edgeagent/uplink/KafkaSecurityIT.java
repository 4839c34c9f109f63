package io.edgeagent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.KafkaUplinkConfig;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.threads.NamedThreads;
import io.edgeagent.testing.KafkaBroker;
import io.edgeagent.testing.LogCapture;
import io.edgeagent.testing.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kafka uplink through TLS, mutual TLS, SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 and the ACL authorizer of a
 * real KRaft broker (one broker in this JVM with a listener for each, shared by the tests of this class), configured
 * from YAML as a person writes it: PEM files under {@code uplink.tls}, passwords as {@code ${ENV:..}} and
 * {@code ${FILE:..}}.
 */
@Timeout(120)
class KafkaSecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String PLAIN_USER = "gw";
    private static final String PLAIN_PASSWORD = "plain-Pw-7f3a9c1e";
    private static final String SCRAM_USER = "gwscram";
    private static final String SCRAM_PASSWORD = "scram-Pw-0b82d4aa";
    /** A user the broker knows but whom no ACL lets write anywhere yet. */
    private static final String NEW_USER = "newgw";
    private static final String NEW_PASSWORD = "new-Pw-91c0e377";
    private static final String CLIENT_CN = "gw-mtls";

    @TempDir
    static Path dir;
    private static TestCa ca;
    private static TestCa otherCa;
    private static TestCa.Issued clientCertificate;
    private static KafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        ca = TestCa.create(dir, "edge-test-ca");
        // Each keytool run is a JVM start: the client's certificates are made while the broker starts.
        CompletableFuture<Void> certificates = CompletableFuture.runAsync(() -> {
            try {
                otherCa = TestCa.create(dir, "other-ca");
                clientCertificate = ca.issue(CLIENT_CN);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }, task -> NamedThreads.single("test-certificates", task).start());
        kafka = KafkaBroker.startSecured(dir, ca, Map.of(PLAIN_USER, PLAIN_PASSWORD, NEW_USER, NEW_PASSWORD,
                NEW_USER + "-described", NEW_PASSWORD));
        kafka.addScramUser(SCRAM_USER, SCRAM_PASSWORD, ScramMechanism.SCRAM_SHA_256);
        kafka.addScramUser(SCRAM_USER, SCRAM_PASSWORD, ScramMechanism.SCRAM_SHA_512);
        for (String user : new String[] {PLAIN_USER, SCRAM_USER, "CN=" + CLIENT_CN}) {
            kafka.allowWrite("User:" + user, "secured");
        }
        Files.createDirectories(dir.resolve("rules"));
        certificates.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The uplink section of a configuration file, loaded as the agent loads it (with {@code env} as environment). */
    private static UplinkConfig load(String listener, String topic, String tls, String sasl, Map<String, String> env)
            throws Exception {
        String text = """
                broker:
                  url: tcp://127.0.0.1:1883
                inputs:
                  - topic: sensors/+
                uplink:
                  enabled: true
                  type: kafka
                  clientId: gw-1
                  timeout: 2s
                  retryMin: 200ms
                  retryMax: 1s
                %s
                  kafka:
                    bootstrapServers: %s
                    topic: %s
                    tls: true
                    deliveryTimeout: 5s
                %s
                """.formatted(tls.indent(2).stripTrailing(), kafka.bootstrapServers(listener), topic,
                sasl.indent(4).stripTrailing());
        AgentConfig config = new ConfigLoader(new Placeholders(env::get)).parse("config.yaml", text, dir);
        return config.uplink();
    }

    private static String caFile(TestCa trusted) {
        return "tls:\n  caFile: " + trusted.certificateFile();
    }

    private static String sasl(String mechanism, String user, String password) {
        return "sasl:\n  mechanism: " + mechanism + "\n  username: " + user + "\n  password: " + password;
    }

    private static MemoryOutbox outbox(int events) {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.add("dev-a", events);
        return outbox;
    }

    /** Drains {@code events} events with {@code config} into its topic, new, and checks Kafka has them all. */
    private static void drainsEverything(UplinkConfig config, int events) throws Exception {
        String topic = config.kafka().topic();
        kafka.createTopic(topic, 1, Map.of());
        MemoryOutbox outbox = outbox(events);
        try (Uplink uplink = Uplink.create(config, outbox)) {
            uplink.start();
            await("outbox drained").atMost(WAIT).until(() -> outbox.depth() == 0);
            assertThat(uplink.stats().sentEvents()).isEqualTo(events);
            assertThat(uplink.stats().failedAttempts()).isZero();
        }
        assertThat(kafka.read(topic, events, WAIT)).hasSize(events);
    }

    /** Runs an uplink that must fail: its events stay, and the one warning line it logs is returned. */
    private static String failsKeepingEverything(UplinkConfig config) throws Exception {
        MemoryOutbox outbox = outbox(10);
        try (LogCapture log = new LogCapture(Uplink.class); Uplink uplink = Uplink.create(config, outbox)) {
            uplink.start();
            await("two failed attempts").atMost(WAIT).until(() -> uplink.stats().failedAttempts() > 1);
            assertThat(outbox.depth()).isEqualTo(10);
            assertThat(outbox.deadLetters).isEmpty();
            assertThat(log.warnings()).as("one line per episode, not per attempt").hasSize(1);
            assertThat(uplink.stats().lastError()).isNotBlank();
            return log.warnings().get(0);
        }
    }

    @Test
    void tls_privateCaFile_deliversEveryEvent() throws Exception {
        drainsEverything(load(KafkaBroker.TLS, "secured-tls", caFile(ca), "", Map.of()), 30);
    }

    @Test
    void tls_caThatDidNotSignTheBroker_saysTheCertificateIsNotTrustedAndKeepsEvents() throws Exception {
        String warning = failsKeepingEverything(load(KafkaBroker.TLS, "secured", caFile(otherCa), "", Map.of()));
        assertThat(warning).contains("TLS handshake with Kafka localhost:")
                .contains("the broker's certificate is not signed by a CA the agent trusts (uplink.tls.caFile")
                .doesNotContain("credentials");
    }

    @Test
    void tls_brokerCertificateForAnotherHost_saysItDoesNotNameTheHostAndKeepsEvents() throws Exception {
        UplinkConfig config = load(KafkaBroker.TLS, "secured", caFile(ca), "", Map.of());
        String byAddress = config.kafka().bootstrapServers().replace("localhost", "127.0.0.1");
        String warning = failsKeepingEverything(new UplinkConfig(config.enabled(), config.type(), null, null,
                config.clientId(), null, null, config.tls(), null, config.batchSize(), null, config.timeout(),
                config.retryMin(), config.retryMax(), null, null, null, new KafkaUplinkConfig(byAddress,
                config.kafka().topic(), true, null, null, null, null, config.kafka().deliveryTimeout())));
        assertThat(warning).contains("TLS handshake with Kafka 127.0.0.1:")
                .contains("the broker's certificate does not name the host the agent connected to");
    }

    @Test
    void mutualTls_clientCertificate_deliversEveryEvent() throws Exception {
        String tls = caFile(ca) + "\n  certFile: " + clientCertificate.chainFile() + "\n  keyFile: "
                + clientCertificate.keyFile();
        drainsEverything(load(KafkaBroker.MUTUAL_TLS, "secured-mtls", tls, "", Map.of()), 10);
    }

    @Test
    void mutualTls_withoutClientCertificate_saysTheHandshakeFailedAndKeepsEvents() throws Exception {
        String warning = failsKeepingEverything(load(KafkaBroker.MUTUAL_TLS, "secured", caFile(ca), "", Map.of()));
        assertThat(warning).contains("TLS handshake with Kafka")
                .contains("the broker requires a client certificate it accepts (uplink.tls.certFile and keyFile");
    }

    @Test
    void saslPlain_passwordFromEnv_deliversAndThePasswordIsNeitherLoggedNorPrinted() throws Exception {
        UplinkConfig config = load(KafkaBroker.SASL_SSL, "secured-plain", caFile(ca),
                sasl("PLAIN", PLAIN_USER, "${ENV:KAFKA_PASSWORD}"), Map.of("KAFKA_PASSWORD", PLAIN_PASSWORD));
        assertThat(config.kafka().sasl().password()).isEqualTo(PLAIN_PASSWORD);
        assertThat(config.toString()).doesNotContain(PLAIN_PASSWORD).contains("username=" + PLAIN_USER);
        try (LogCapture everything = LogCapture.everything()) {
            drainsEverything(config, 10);
            assertThat(everything.all()).as("lines logged, the Kafka client's at DEBUG included")
                    .anyMatch(line -> line.contains("sasl.jaas.config = [hidden]"))
                    .noneMatch(line -> line.contains(PLAIN_PASSWORD));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void scram_passwordFromFile_deliversEveryEvent(String mechanism) throws Exception {
        Path secret = Files.writeString(dir.resolve("kafka-password"), SCRAM_PASSWORD + "\n");
        UplinkConfig config = load(KafkaBroker.SASL_SSL, "secured-" + mechanism, caFile(ca),
                sasl(mechanism, SCRAM_USER, "${FILE:" + secret + "}"), Map.of());
        drainsEverything(config, 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "SCRAM-SHA-256"})
    void sasl_wrongPassword_saysAuthenticationFailedAndKeepsEvents(String mechanism) throws Exception {
        String user = mechanism.equals("PLAIN") ? PLAIN_USER : SCRAM_USER;
        String wrong = "not-the-Pw-" + mechanism;
        String warning = failsKeepingEverything(load(KafkaBroker.SASL_SSL, "secured", caFile(ca),
                sasl(mechanism, user, "${ENV:KAFKA_PASSWORD}"), Map.of("KAFKA_PASSWORD", wrong)));
        assertThat(warning).contains("SASL authentication failed").contains("user " + user)
                .contains(mechanism).doesNotContain(wrong);
    }

    /**
     * With no ACL the producer fails on the topic's metadata; with DESCRIBE alone it gets the metadata, and Kafka then
     * refuses the idempotent producer its id (WRITE on some topic is what allows that) or the write itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "DESCRIBE"})
    void noWriteAcl_saysNotAllowedBacksOffKeepsEventsAndDrainsOnceGranted(String granted) throws Exception {
        String user = NEW_USER + (granted.equals("none") ? "" : "-described");
        String topic = "locked-" + granted;
        kafka.createTopic(topic, 1, Map.of());
        if (!granted.equals("none")) {
            kafka.allow("User:" + user, topic, AclOperation.DESCRIBE);
        }
        UplinkConfig config = load(KafkaBroker.SASL_SSL, topic, caFile(ca), sasl("PLAIN", user, NEW_PASSWORD),
                Map.of());
        MemoryOutbox outbox = outbox(20);
        try (LogCapture log = new LogCapture(Uplink.class); Uplink uplink = Uplink.create(config, outbox)) {
            uplink.start();
            await("a failed attempt").atMost(WAIT).until(() -> uplink.stats().failedAttempts() > 0);
            long first = System.nanoTime();
            await("three more failed attempts").atMost(WAIT).until(() -> uplink.stats().failedAttempts() > 3);
            // Backoff from uplink.retryMin 200ms, doubling to 1s, jitter -25%: at least 0.15+0.3+0.6 s for three more
            // (less the poll interval of the first wait); a hot loop would take a few ms.
            assertThat(Duration.ofNanos(System.nanoTime() - first)).as("not a hot loop")
                    .isGreaterThan(Duration.ofMillis(800));
            assertThat(outbox.depth()).isEqualTo(20);
            assertThat(log.warnings()).singleElement().asString()
                    .contains("does not allow user " + user + " (PLAIN) to write to topic " + topic);

            kafka.allowWrite("User:" + user, topic);
            await("outbox drained").atMost(WAIT).until(() -> outbox.depth() == 0);
            assertThat(uplink.stats().sentEvents()).isEqualTo(20);
        }
        assertThat(kafka.read(topic, 20, WAIT)).hasSize(20);
    }
}
