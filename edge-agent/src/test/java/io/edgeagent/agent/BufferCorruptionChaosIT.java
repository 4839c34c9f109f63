package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.storage.H2Salvage;
import io.edgeagent.testing.FileDamage;
import io.edgeagent.testing.LogCapture;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import io.edgeagent.testing.UplinkCollector;
import io.edgeagent.cli.EdgeAgentCommand;
import io.edgeagent.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped agent's buffer file damaged the way issue 14 did it (cut to half its size, emptied), then the agent
 * started again with real parts: Mosquitto in front, the H2 file on disk, an HTTP upstream. The agent must start,
 * say loudly what it found with numbers, keep the damaged file beside the fresh one, upload every event it could
 * read, and keep working.
 */
@Timeout(120)
class BufferCorruptionChaosIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int STORED = 6000;
    private static final long TS0 = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private UplinkCollector upstream;
    private Agent agent;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir);
        upstream = new UplinkCollector();
    }

    @AfterEach
    void stopAll() {
        if (agent != null) {
            agent.stop();
        }
        upstream.close();
        broker.close();
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Agent startAgent() throws Exception {
        UplinkConfig http = new UplinkConfig(true, "http", upstream.url(), null, "gateway-chaos", null, null, null,
                null, 500, false, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(300), 1.0, null);
        AgentConfig config = TestConfigs.repositoryConfig(broker.url(), data()).withBuffer(BufferConfig.defaults())
                .withUplink(http);
        agent = new Agent(config);
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(10))).isTrue();
        return agent;
    }

    private void publish(int from, int to) throws Exception {
        try (MqttProbe device = new MqttProbe(broker.url())) {
            for (int i = from; i < to; i++) {
                device.publish("sensors/dev-" + i % 4 + "/temperature", "{\"deviceId\":\"dev-" + i % 4
                        + "\",\"type\":\"temperature\",\"value\":" + i + ",\"ts\":" + (TS0 + i) + "}");
            }
        }
    }

    /** {@link #STORED} events buffered while the upstream refuses them, then the agent stopped. */
    private void bufferAndStop() throws Exception {
        upstream.failWith(503);
        startAgent();
        publish(0, STORED);
        await("all stored").atMost(WAIT).until(() -> agent.counters().events() == STORED);
        assertThat(agent.buffer().depth()).isEqualTo(STORED);
        agent.stop();
        agent = null;
        upstream.failWith(0);
    }

    private static Set<Double> values(List<UplinkCollector.Uploaded> uploaded) {
        return uploaded.stream().map(UplinkCollector.Uploaded::value).collect(Collectors.toSet());
    }

    @Test
    void restart_bufferCutToHalfItsSize_uploadsEveryReadableEventAndReportsTheDamage() throws Exception {
        bufferAndStop();
        FileDamage.truncateToHalf(data().resolve("buffer.mv.db"));

        try (LogCapture log = new LogCapture(H2Salvage.class)) {
            startAgent();
            assertThat(log.warnings()).singleElement().asString()
                    .contains("buffer.mv.db is damaged", "cut short", "events recovered", "versions committed after it");
        }
        Path quarantined = FileDamage.quarantined(data(), "buffer.mv.db").get(0);
        Path exported = dir.resolve("readable.jsonl");
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = EdgeAgentCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cli.execute("buffer", "export", "--from", quarantined.toString(), "--out", exported.toString());
        assertThat(exit).as("the quarantined file reads completely: " + err).isEqualTo(ExitCodes.OK);
        long readable = Files.readAllLines(exported).size();
        assertThat(readable).isPositive().isLessThan(STORED);

        await("every readable event uploaded").atMost(WAIT).until(() -> upstream.distinctIds().size() == readable);
        assertThat(values(upstream.events())).as("an in-order prefix of what was stored")
                .isEqualTo(IntStream.range(0, (int) readable).mapToObj(i -> (double) i).collect(Collectors.toSet()));

        publish(STORED, STORED + 100);
        await("the agent keeps working").atMost(WAIT).until(() -> upstream.distinctIds().size() == readable + 100);
    }

    @Test
    void restart_bufferEmptied_startsFreshLoudlyKeepsTheFileAndKeepsWorking() throws Exception {
        bufferAndStop();
        FileDamage.empty(data().resolve("buffer.mv.db"));

        try (LogCapture log = new LogCapture(H2Salvage.class)) {
            startAgent();
            assertThat(log.warnings()).singleElement().asString()
                    .contains("the file is empty (0 bytes)", "0 of " + STORED + " events recovered, " + STORED + " lost");
        }
        assertThat(FileDamage.quarantined(data(), "buffer.mv.db")).singleElement()
                .satisfies(f -> assertThat(Files.size(f)).isZero());

        publish(STORED, STORED + 100);
        await("new events flow").atMost(WAIT).until(() -> upstream.distinctIds().size() == 100);
        assertThat(agent.buffer().lost()).as("buffer.depth says what the emptied file held").isEqualTo(STORED);
    }

    /**
     * The damage CI once met by chance (a hole inside a page that H2 still decodes): one stored event's JSON broken
     * in place. Before rows had checksums it was uploaded as it read, the upstream could not parse the batch, and the
     * uplink sent that batch again for ever. Now the upload's read finds the row changed, the buffer salvages, and
     * every other event is uploaded; the one is counted as lost and named in the warning.
     */
    @Test
    void restart_oneEventBrokenInsideItsPage_uploadsEveryOtherAndCountsIt() throws Exception {
        bufferAndStop();
        assertThat(FileDamage.replace(data().resolve("buffer.mv.db"), "\"value\":3000.0,",
                "\"value\":3000\u0000\u0000,"))
                .isPositive();

        try (LogCapture log = new LogCapture(H2Salvage.class)) {
            startAgent();
            await("every other event uploaded").atMost(WAIT).until(() -> agent.buffer().depth() == 0
                    && upstream.distinctIds().size() == STORED - 1);
            assertThat(agent.buffer().lost()).isEqualTo(1);
            assertThat(log.warnings()).singleElement().asString()
                    .contains("reads back other than it was written", "(1 readable but failing their checksum)");
        }
        assertThat(values(upstream.events())).doesNotContain(3000.0).hasSize(STORED - 1);
    }

    /**
     * 4 KB of random bytes mid-file: not found at open (the check does not read every page). Where the hole lands
     * depends on the file's layout, which varies with timing: in space H2 no longer uses (nothing lost) or in a live
     * page, which the uplink's read hits; the buffer then reopens through the salvage. Either way every event is
     * uploaded or counted as lost, and a loss is reported with its numbers.
     */
    @Test
    void restart_randomBytesMidFile_uploadsEveryReadableEventAndCountsTheLost() throws Exception {
        bufferAndStop();
        FileDamage.overwriteMiddle(data().resolve("buffer.mv.db"), 4096, 42);

        try (LogCapture log = new LogCapture(H2Salvage.class)) {
            startAgent();
            await("every event uploaded or counted as lost").atMost(WAIT).until(() -> agent.buffer().depth() == 0
                    && upstream.distinctIds().size() + agent.buffer().lost() == STORED);
            // Where 4 KB land depends on how H2 laid the file out: in unused space (nothing to say), on an old
            // page (found by a read at upload), or on the newest chunks (found at open; the versions after the newest
            // readable one go with them, and buffer.depth says how many events that was). A read at upload finds
            // fewer than STORED rows left, so the warning's "N of M" counts what was still buffered then.
            if (agent.buffer().lost() > 0) {
                assertThat(log.warnings()).singleElement().asString()
                        .containsAnyOf("damaged page", "newest chunks are damaged")
                        .contains(" events recovered, " + agent.buffer().lost() + " lost");
                assertThat(FileDamage.quarantined(data(), "buffer.mv.db")).hasSize(1);
            } else {
                assertThat(log.warnings()).isEmpty();
            }
        }
        assertThat(agent.buffer().lost()).as("most of the file is readable").isLessThan(STORED / 2);
    }
}
