package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `record` captures live traffic in the format `rules test --events` replays. */
class RecordCommandIT {

    @Test
    @Timeout(60)
    void record_liveReadings_writesEventsThatRulesTestReplays(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, "broker:\n  url: " + broker.url() + "\ninputs:\n  - topic: sensors/+/+\n"
                    + "rules:\n  directory: " + TestConfigs.rulesDirectory() + "\n");
            Path out = dir.resolve("recorded.jsonl");
            AtomicReference<CliRun> result = new AtomicReference<>();
            Thread recorder = new Thread(() -> result.set(CliRun.of("record", "--config", config.toString(),
                    "--duration", "3s", "--out", out.toString())), "test-recorder");
            recorder.start();

            // Published every 100 ms by a scheduler, and not waited for: the embedded broker (Moquette) can lose its
            // session loop to a race when the recorder disconnects with a message on its way, and then a publish
            // never completes; what the recorder got before that is what this test checks.
            ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();
            try (MqttProbe probe = new MqttProbe(broker.url())) {
                AtomicInteger n = new AtomicInteger();
                device.scheduleAtFixedRate(() -> {
                    int i = n.incrementAndGet();
                    try {
                        probe.publish("sensors/cold-room-7/temperature", "{\"deviceId\":\"cold-room-7\","
                                + "\"type\":\"temperature\",\"value\":" + (i % 2 == 0 ? 9.5 : 4.0) + ",\"ts\":"
                                + (1_767_225_600_000L + i * 1000L) + "}");
                        probe.publish("sensors/cold-room-7/temperature", "not json");
                    } catch (Exception e) {
                        // The recorder has ended, or the broker stopped answering after it did.
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                await("the recorder ends after its 3 s").atMost(Duration.ofSeconds(20)).until(() -> !recorder.isAlive());
            } finally {
                device.shutdownNow();
            }

            assertThat(result.get().exitCode()).as(result.get().err()).isZero();
            assertThat(result.get().out()).containsPattern("Recorded [1-9][0-9]* events").contains("did not decode");
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"deviceId\":\"cold-room-7\""));

            CliRun replay = CliRun.of("rules", "test", TestConfigs.rulesDirectory().resolve("temperature-high.yaml").toString(),
                    "--events", out.toString(), "--config", config.toString());
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("temperature-high").contains("cold-room-7");
        }
    }
}
