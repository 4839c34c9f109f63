package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.testing.AgentProcess;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.UplinkCollector;
import io.edgeagent.testing.UplinkCollector.Uploaded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent as a child process ({@code java -jar target/edge-agent.jar run}), killed with SIGKILL in the
 * middle of a QoS 1 stream and started again: Mosquitto redelivers what was not acknowledged (a persistent session),
 * the buffer keeps what was, and the HTTP upstream must end up with every message, duplicates under the same id.
 */
@Timeout(120)
class AgentKillIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final long TS0 = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private UplinkCollector upstream;
    private Path config;
    private Path data;
    private Process agent;
    private int logs;

    @BeforeEach
    void setUp() throws IOException {
        broker = MosquittoBroker.start(dir);
        upstream = new UplinkCollector();
        data = dir.resolve("data");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        config = dir.resolve("config.yaml");
        Files.writeString(config, String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: kill-it-" + Long.toHexString(System.nanoTime()),
                "inputs:",
                "  - name: readings",
                "    topic: sensors/+/+",
                "rules:",
                "  directory: " + rules,
                "  watch: false",
                "data:",
                "  directory: " + data,
                "admin:",
                "  enabled: false",
                "uplink:",
                "  enabled: true",
                "  type: http",
                "  url: " + upstream.url(),
                "  clientId: gateway-kill-it",
                "  batchSize: 200",
                "  timeout: 5s",
                "  retryMin: 100ms",
                "  retryMax: 1s",
                ""));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        AgentProcess.stop(agent);
        upstream.close();
        broker.close();
    }

    /** Starts {@code java -jar target/edge-agent.jar run} and waits until its ingest has subscribed. */
    private Path startAgent() throws IOException {
        Path log = dir.resolve("agent-" + ++logs + ".log");
        agent = AgentProcess.start(config, log);
        Process started = agent;
        await("agent subscribed (log " + log + ")").atMost(WAIT).until(() ->
                Files.readString(log).contains("MQTT ingest connected") || !started.isAlive());
        assertThat(agent.isAlive()).as("agent running; its log: %s", Files.readString(log)).isTrue();
        return log;
    }

    private static String reading(int i) {
        String device = "dev-" + i % 5;
        return "{\"deviceId\":\"" + device + "\",\"type\":\"temperature\",\"value\":" + i + ",\"ts\":" + (TS0 + i) + "}";
    }

    private static String topic(int i) {
        return "sensors/dev-" + i % 5 + "/temperature";
    }

    @Test
    void kill9_midStream_everyPublishedMessageIsUploadedAndDuplicatesKeepTheirId() throws Exception {
        int count = 3000;
        startAgent();
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            try (MqttProbe device = new MqttProbe(broker.url())) {
                for (int i = 0; i < count; i++) {
                    device.publish(topic(i), reading(i));
                    published.incrementAndGet();
                    // About 1,500 messages a second, so the kill lands in the middle of the stream.
                    LockSupport.parkNanos(600_000);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        await("uploads under way").atMost(WAIT).until(() -> upstream.distinctIds().size() >= 600);
        agent.destroyForcibly();
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int publishedAtKill = published.get();
        assertThat(publishedAtKill).as("killed mid-stream").isLessThan(count);
        int uploadedAtKill = upstream.distinctIds().size();

        Path secondLog = startAgent();
        publisher.get(60, TimeUnit.SECONDS);
        await("every message uploaded").atMost(WAIT).untilAsserted(() ->
                assertThat(upstream.distinctIds()).hasSize(count));

        List<Uploaded> events = upstream.events();
        Map<Double, Set<String>> idsByValue = events.stream().collect(Collectors.groupingBy(Uploaded::value,
                Collectors.mapping(Uploaded::id, Collectors.toSet())));
        assertThat(idsByValue.keySet()).as("none missing")
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, count).mapToObj(i -> (double) i).toList());
        assertThat(idsByValue.values()).as("a redelivered message keeps its id").allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(Files.readString(secondLog)).contains("Buffer opened in");
        System.out.printf("kill -9 after %d published and %d uploaded; %d uploads for %d messages (%d duplicates)%n",
                publishedAtKill, uploadedAtKill, events.size(), count, events.size() - count);
    }

    @Test
    void start_corruptBufferFile_movesItAsideSaysSoAndRuns() throws Exception {
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.createDirectories(data);
        Files.write(data.resolve("buffer.mv.db"), garbage);

        Path log = startAgent();
        try (MqttProbe device = new MqttProbe(broker.url())) {
            for (int i = 0; i < 20; i++) {
                device.publish(topic(i), reading(i));
            }
        }
        await("events flow through the fresh buffer").atMost(WAIT).until(() -> upstream.distinctIds().size() == 20);

        assertThat(Files.readString(log)).contains("The database file " + data.resolve("buffer.mv.db") + " is damaged")
                .contains("0 of an unknown number of events recovered");
        List<Path> quarantined;
        try (Stream<Path> files = Files.list(data)) {
            quarantined = files.filter(f -> f.getFileName().toString().startsWith("buffer.mv.db.corrupt-")).toList();
        }
        assertThat(quarantined).singleElement().satisfies(f -> assertThat(Files.readAllBytes(f)).isEqualTo(garbage));
    }
}
