package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeagent.config.AdminConfig;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ByteSize;
import io.edgeagent.config.RulesConfig;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Reading;
import io.edgeagent.storage.StorageHealth;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full disk, for real: the agent's data directory on a small tmpfs that this test mounts (root required; under
 * CI=true a test that cannot mount fails instead of skipping), a real Mosquitto in front, QoS 1 readings published
 * until the disk is full. Acknowledgements must stop, readiness must turn false, and once space returns ingest must
 * resume by itself with every published reading stored and a handful of log lines, not thousands.
 */
@Timeout(240)
class StorageChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int READINGS = 20_000;
    private static final long TS0 = 1_796_000_000_000L;

    @TempDir
    Path dir;

    private Path data;
    private MosquittoBroker broker;
    private Agent agent;
    private Thread publisher;
    private final AtomicLong published = new AtomicLong();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void mountAndStartBroker() throws Exception {
        data = dir.resolve("data");
        Files.createDirectories(data);
        broker = MosquittoBroker.start(dir);
        log.start();
        root().addAppender(log);
    }

    @AfterEach
    void stopAll() throws Exception {
        root().detachAppender(log);
        if (publisher != null) {
            publisher.interrupt();
            publisher.join(5000);
        }
        if (agent != null) {
            agent.stop();
        }
        if (broker != null) {
            broker.close();
        }
        run("umount", data.toString());
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static void mount(Path target, String size) throws Exception {
        String problem = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", target.toString());
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("cannot mount a tmpfs for the disk-full test (" + problem + "); CI=true "
                        + "requires it to run: run the tests as root");
            }
            assumeTrue(false, "cannot mount a tmpfs (" + problem + "); the disk-full test needs root (it fails under "
                    + "CI=true)");
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        String output = new String(process.getInputStream().readAllBytes()).strip();
        return process.exitValue() == 0 ? null : output + " (exit " + process.exitValue() + ")";
    }

    /** Mounts a tmpfs of {@code size} on the data directory and starts the agent on it. */
    private void startAgent(String size, ByteSize minFreeSpace) throws Exception {
        mount(data, size);
        Path rules = Files.createDirectories(dir.resolve("rules"));
        AgentConfig config = TestConfigs.repositoryConfig(broker.url(), data)
                .withBuffer(new BufferConfig(null, null, null, null, null, null, minFreeSpace))
                .withRules(new RulesConfig(rules, false))
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0, dir.resolve("admin.token")));
        agent = new Agent(config);
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(10))).isTrue();
        await().atMost(WAIT).until(this::ready);
    }

    /** Fills the tmpfs with a file until {@code leave} bytes are free. */
    private Path fillLeaving(long leave) throws IOException {
        Path filler = data.resolve("filler");
        long size = Files.getFileStore(data).getUsableSpace() - leave;
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (long written = 0; written < size; written += block.length) {
                out.write(block);
            }
        }
        return filler;
    }

    /** Publishes the readings on a thread of its own; the broker takes them whether the agent acknowledges or not. */
    private void publishAll() {
        publisher = new Thread(() -> {
            try (MqttProbe device = new MqttProbe(broker.url())) {
                for (int i = 0; i < READINGS && !Thread.currentThread().isInterrupted(); i++) {
                    String deviceId = "dev-" + i % 8;
                    device.publish("sensors/" + deviceId + "/temperature", "{\"deviceId\":\"" + deviceId
                            + "\",\"type\":\"temperature\",\"value\":" + i + ",\"ts\":" + (TS0 + i) + "}");
                    published.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException("publishing failed after " + published.get() + " readings", e);
            }
        }, "chaos-publisher");
        publisher.start();
    }

    private boolean ready() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.adminPort() + "/ready")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200;
    }

    /** The distinct event ids in the buffer, read page by page. */
    private Set<String> storedIds() {
        Set<String> ids = new HashSet<>();
        long after = 0;
        for (List<BufferedEvent> page = agent.buffer().readAfter(after, 5000); !page.isEmpty();
             page = agent.buffer().readAfter(after, 5000)) {
            page.forEach(row -> ids.add(row.id()));
            after = page.get(page.size() - 1).seq();
        }
        return ids;
    }

    /** Acknowledgements stopped: the count stays the same for a while, with readings still waiting at the broker. */
    private void assertAcknowledgementsStopped() {
        AtomicLong seen = new AtomicLong(-1);
        await().atMost(WAIT).during(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> seen.getAndSet(agent.counters().acknowledged()) == agent.counters().acknowledged());
        assertThat(agent.counters().acknowledged()).isLessThan(READINGS);
    }

    private void assertEverythingStoredAndHealthy() {
        await().atMost(WAIT).until(() -> agent.counters().acknowledged() >= READINGS && storedIds().size() == READINGS);
        await().atMost(WAIT).until(this::ready);
        assertThat(agent.buffer().health()).isEqualTo(StorageHealth.HEALTHY);
    }

    /** Warnings and errors by logger, for the assertion message. */
    private Map<String, Long> warnings() {
        return log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .collect(Collectors.groupingBy(ILoggingEvent::getLoggerName, Collectors.counting()));
    }

    /**
     * A restart with the disk already full: the open's checks (the structural one and the comparison with
     * buffer.depth, which reads the file through a link in a new directory) must not keep the agent from starting,
     * nor take the full disk for damage.
     */
    @Test
    void restart_onAFullDisk_opensTheBufferWithEveryEventAndQuarantinesNothing() throws Exception {
        mount(data, "4m");
        BufferConfig noGuard = new BufferConfig(null, null, null, null, null, null, new ByteSize(0));
        try (H2Buffer buffer = H2Buffer.open(data, noGuard)) {
            for (int from = 0; from < 600; from += 200) {
                buffer.append(IntStream.range(from, from + 200).mapToObj(i -> new Reading("r-" + i, "dev-1", "temperature", i, "C", TS0 + i, TS0 + i, "sensors/dev-1/t"))
                        .toList(), List.of());
                buffer.checkpoint();
            }
        }
        try (OutputStream filler = Files.newOutputStream(data.resolve("filler"))) {
            byte[] block = new byte[64 * 1024];
            while (true) {
                filler.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }

        try (H2Buffer buffer = H2Buffer.open(data, noGuard)) {
            assertThat(buffer.depth()).isEqualTo(600);
            assertThat(buffer.lost()).isZero();
            assertThat(buffer.peek(600)).hasSize(600);
        }
        try (var files = Files.list(data)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.contains(".corrupt-"));
        }
    }

    @Test
    void diskNearlyFull_freeSpaceGuard_holdsIngestUnacknowledgedThenResumesWhenSpaceIsFreed() throws Exception {
        // Big enough for every reading once the filler is gone: H2 needs about 400 bytes per reading here, and its file
        // keeps replaced pages for 45 s, which under this burst took up to 14 MB of a 16 MB mount.
        startAgent("32m", ByteSize.ofMegabytes(2));
        Path filler = fillLeaving(ByteSize.ofMegabytes(4).bytes());
        publishAll();

        await().atMost(WAIT).until(() -> agent.buffer().health().state() == StorageHealth.State.LOW_DISK_SPACE);
        assertThat(ready()).as("/ready while new events are refused").isFalse();
        assertAcknowledgementsStopped();
        assertThat(agent.buffer().storageFaults()).as("the guard kept H2 away from a failed write").isZero();

        Files.delete(filler);
        assertEverythingStoredAndHealthy();
        assertThat(agent.buffer().refusedForSpace()).isPositive();
        assertThat(warnings().values().stream().mapToLong(Long::longValue).sum())
                .as("warnings and errors logged: %s", warnings()).isLessThanOrEqualTo(10);
    }

    @Test
    void diskFull_withoutTheGuard_storeReopensByItselfOnceTheMountGrows() throws Exception {
        startAgent("8m", new ByteSize(0));
        fillLeaving(ByteSize.ofMegabytes(3).bytes());
        publishAll();

        await().atMost(WAIT).until(() -> agent.buffer().health().state() == StorageHealth.State.REOPENING);
        await().atMost(Duration.ofSeconds(1)).until(() -> !ready());
        assertAcknowledgementsStopped();

        String grown = run("mount", "-o", "remount,size=64m", data.toString());
        assertThat(grown).as("remount larger").isNull();
        assertEverythingStoredAndHealthy();
        assertThat(agent.buffer().storageFaults()).isPositive();
        assertThat(warnings().values().stream().mapToLong(Long::longValue).sum())
                .as("warnings and errors logged: %s", warnings()).isLessThanOrEqualTo(40);
    }
}
