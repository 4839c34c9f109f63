package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.buffer.StoredDeadLetter;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.UplinkCollector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproductions of the "never wedged by input" issue, sent with the real {@code mosquitto_pub} through a real
 * Mosquitto to a whole agent: every poison message is followed by a good one, which must be processed; what was
 * refused is counted and dead-lettered with its reason; nothing acknowledged is lost; and the same holds when the
 * poison waits in the broker while the agent is down and arrives at start-up.
 */
@Timeout(150)
class InputChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A poison message: where it goes and what it carries. */
    private record Poison(String name, String topic, byte[] payload) {
        Poison(String name, String topic, String payload) {
            this(name, topic, payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private UplinkCollector upstream;
    private AgentConfig config;
    private Agent agent;
    private int good;

    @BeforeEach
    void setUp() throws Exception {
        broker = MosquittoBroker.start(dir);
        upstream = new UplinkCollector();
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("command.yaml"), String.join("\n",
                "name: command",
                "epl: select deviceId, value from Reading(type = 'cmd')",
                "actions:",
                "  - type: mqtt",
                "    topic: actuators/{deviceId}/command",
                "    payload: {value: \"{value}\"}",
                ""));
        String yaml = String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: input-chaos-" + Long.toHexString(System.nanoTime()),
                "  keepAlive: 5s",
                "inputs:",
                "  - name: readings",
                "    topic: sensors/+/+",
                "  - name: tasmota",
                "    topic: tele/+/SENSOR",
                "    format: tasmota",
                "rules:",
                "  directory: " + rules,
                "  watch: false",
                "data:",
                "  directory: " + dir.resolve("data"),
                "admin:",
                "  enabled: false",
                "uplink:",
                "  enabled: true",
                "  type: http",
                "  url: " + upstream.url(),
                "  retryMin: 100ms",
                "  retryMax: 1s",
                "");
        config = ConfigLoader.fromSystem().parse("config.yaml", yaml, dir);
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            agent.stop();
        }
        upstream.close();
        broker.close();
    }

    private void startAgent() throws InterruptedException {
        agent = new Agent(config);
        agent.start();
        assertThat(agent.awaitConnected(WAIT)).isTrue();
    }

    private static List<Poison> poisons() {
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        return List.of(
                new Poison("far-future ISO timestamp", "sensors/x/t",
                        "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"ts\":\"+999999999-12-31T23:59:59Z\"}"),
                new Poison("far-future Tasmota time", "tele/tz/SENSOR",
                        "{\"Time\":\"+999999999-12-31T23:59:59\",\"AM2301\":{\"Temperature\":21.3}}"),
                new Poison("timestamp beyond a long", "sensors/x/t",
                        "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"ts\":99999999999999999999}"),
                new Poison("nesting 20,000 deep", "sensors/x/t",
                        "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"extra\":" + deep + "}"),
                new Poison("not JSON at all", "sensors/x/t", new byte[] {(byte) 0xff, 0, (byte) 0xfe, '{'}),
                new Poison("a NaN value", "sensors/x/t", "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":NaN}"));
    }

    private void publishWithMosquittoPub(String topic, byte[] payload) throws IOException, InterruptedException {
        Path file = Files.write(Files.createTempFile(dir, "payload", ".bin"), payload);
        Process pub = new ProcessBuilder("mosquitto_pub",
                "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q", "1", "-t", topic, "-f",
                file.toString()).redirectErrorStream(true).start();
        assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue()).as(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
    }

    /** Every poison, each followed by a good reading; returns the good readings' values. */
    private List<Double> sendPoisonsEachFollowedByAGoodReading() throws IOException, InterruptedException {
        List<Double> values = new ArrayList<>();
        for (Poison poison : poisons()) {
            publishWithMosquittoPub(poison.topic(), poison.payload());
            double value = ++good;
            publishWithMosquittoPub("sensors/good/temperature",
                    ("{\"deviceId\":\"good\",\"type\":\"temperature\",\"value\":" + value + "}")
                            .getBytes(StandardCharsets.UTF_8));
            values.add(value);
        }
        return values;
    }

    private void assertEveryGoodReadingUploaded(List<Double> values) {
        await("every good reading uploaded").atMost(WAIT).untilAsserted(() ->
                assertThat(upstream.events()).extracting(UplinkCollector.Uploaded::value).containsAll(values));
    }

    @Test
    void everyPoison_isDeadLetteredWithItsReason_andTheNextGoodMessageIsProcessed() throws Exception {
        startAgent();
        List<Double> values = sendPoisonsEachFollowedByAGoodReading();
        assertEveryGoodReadingUploaded(values);

        List<StoredDeadLetter> letters = agent.buffer().recentDeadLetters(100);
        assertThat(letters).as("one dead letter per poison").hasSize(poisons().size());
        letters.forEach(letter -> System.out.printf("dead letter on %s: %s%n", letter.topic(), letter.reason()));
        assertThat(letters).extracting(StoredDeadLetter::reason).anySatisfy(r -> assertThat(r).contains("+999999999"))
                .anySatisfy(r -> assertThat(r).contains("99999999999999999999"))
                .allSatisfy(r -> assertThat(r).isNotBlank().doesNotContain("\n"));
        assertThat(agent.counters().decodeErrors()).isEqualTo(poisons().size());
        assertThat(agent.counters().acknowledged()).isEqualTo(2L * poisons().size());
        assertThat(agent.pipelineHealth().ready()).isTrue();
    }

    @Test
    void poisonsWaitingInTheBrokerAtStart_areDeadLettered_andIngestGoesOn() throws Exception {
        startAgent();
        agent.stop();
        List<Double> values = sendPoisonsEachFollowedByAGoodReading();

        startAgent();
        assertEveryGoodReadingUploaded(values);
        assertThat(agent.buffer().recentDeadLetters(100)).hasSize(poisons().size());
        assertThat(agent.pipelineHealth().ready()).isTrue();
    }

    @Test
    void topicOutsideTheBasicMultilingualPlane_isReceivedWhole_andTheConnectionStays() throws Exception {
        startAgent();
        publishWithMosquittoPub("sensors/\uD83D\uDD25/temperature",
                "{\"deviceId\":\"f\",\"type\":\"temperature\",\"value\":1}".getBytes(StandardCharsets.UTF_8));
        publishWithMosquittoPub("sensors/good/temperature",
                "{\"deviceId\":\"good\",\"type\":\"temperature\",\"value\":2}".getBytes(StandardCharsets.UTF_8));
        assertEveryGoodReadingUploaded(List.of(1.0, 2.0));
        assertThat(agent.connectionState().name()).isEqualTo("CONNECTED");
    }

    @Test
    void deviceIdWithTopicStructure_neverAddsLevelsToACommandTopic() throws Exception {
        startAgent();
        try (MqttProbe actuators = new MqttProbe(broker.url(), "actuators/#")) {
            publishWithMosquittoPub("sensors/evil/cmd",
                    "{\"deviceId\":\"../x\",\"type\":\"cmd\",\"value\":1}".getBytes(StandardCharsets.UTF_8));
            publishWithMosquittoPub("sensors/evil/cmd",
                    "{\"deviceId\":\"a/+/#\",\"type\":\"cmd\",\"value\":2}".getBytes(StandardCharsets.UTF_8));
            publishWithMosquittoPub("sensors/fine/cmd",
                    "{\"deviceId\":\"fine\",\"type\":\"cmd\",\"value\":3}".getBytes(StandardCharsets.UTF_8));
            await("the good command").atMost(WAIT).until(() -> !actuators.receivedOn("actuators/fine/command").isEmpty());
            assertThat(actuators.received()).allSatisfy(m ->
                    assertThat(m.topic().split("/", -1)).as(m.topic()).hasSize(3));
        }
    }
}
