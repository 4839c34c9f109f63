package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

            // Published from a thread of its own, and not waited for: the embedded broker (Moquette) can lose its
            // session loop to a race when the recorder disconnects with a message on its way, and then a publish
            // never completes; what the recorder got before that is what this test checks.
            Thread device = new Thread(() -> {
                try (MqttProbe probe = new MqttProbe(broker.url())) {
                    for (int n = 1; recorder.isAlive(); n++) {
                        probe.publish("sensors/cold-room-7/temperature", "{\"deviceId\":\"cold-room-7\","
                                + "\"type\":\"temperature\",\"value\":" + (n % 2 == 0 ? 9.5 : 4.0) + ",\"ts\":"
                                + (1_767_225_600_000L + n * 1000L) + "}");
                        probe.publish("sensors/cold-room-7/temperature", "not json");
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // The recorder has ended, or the broker stopped answering after it did.
                }
            }, "test-device");
            device.setDaemon(true);
            device.start();
            recorder.join(Duration.ofSeconds(20).toMillis());
            assertThat(recorder.isAlive()).as("the recorder ends after its 3 s").isFalse();

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
