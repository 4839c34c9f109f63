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

            try (MqttProbe probe = new MqttProbe(broker.url())) {
                int[] n = {0};
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    n[0]++;
                    probe.publish("sensors/cold-room-7/temperature", "{\"deviceId\":\"cold-room-7\",\"type\":\"temperature\","
                            + "\"value\":" + (n[0] % 2 == 0 ? 9.5 : 4.0) + ",\"ts\":" + (1_767_225_600_000L + n[0] * 1000L) + "}");
                    probe.publish("sensors/cold-room-7/temperature", "not json");
                    return !recorder.isAlive();
                });
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
