package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.testing.AgentProcess;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent at {@code -Xmx64m} with the serial collector (the package's heap options until 2026-12-06; a
 * heap this small fills in seconds) with a rule that keeps about 600 bytes for every device it has seen, fed 100,000
 * distinct devices: more state than the heap holds. The heap guard must disable
 * the rule before an OutOfMemoryError, say so in the log and in /metrics, and ingest and storage must take every
 * message.
 */
@Timeout(600)
class HeapGuardIT {

    private static final int DEVICES = 100_000;
    private static final long TS0 = 1_795_000_000_000L;
    private static final Duration WAIT = Duration.ofMinutes(6);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private Process agent;

    @AfterEach
    void tearDown() throws InterruptedException {
        AgentProcess.stop(agent);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void perDeviceRule_100000DevicesAt64MbHeap_ruleDisabledAgentStaysUpAndStoresEveryMessage() throws Exception {
        broker = MosquittoBroker.start(dir);
        int adminPort = MosquittoBroker.freePort();
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("last-per-device.yaml"), String.join("\n",
                "name: last-per-device",
                "description: keeps a history string of every device, for ever",
                "unboundedState: true",
                "epl: |",
                "  create window LastPerDevice#unique(deviceId) as (deviceId string, history string);",
                "  // About 600 bytes per device: 100,000 devices are more than a 64 MB heap holds.",
                "  insert into LastPerDevice select deviceId, " + String.join(" || ", Collections.nCopies(16, "id"))
                        + " as history from Reading;",
                ""));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: heap-guard-it",
                "inputs:",
                "  - topic: sensors/+/+",
                "rules:",
                "  directory: " + rules,
                "  watch: false",
                "data:",
                "  directory: " + dir.resolve("data"),
                "admin:",
                "  port: " + adminPort,
                ""));
        Path log = dir.resolve("agent.log");
        agent = AgentProcess.start(config, log, List.of("-Xmx64m", "-Xms16m", "-Xmn6m", "-XX:+UseSerialGC",
                "-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=" + dir.resolve("hs_err.log")));
        Process started = agent;
        await("agent subscribed (log " + log + ")").atMost(Duration.ofMinutes(1)).until(() ->
                Files.readString(log).contains("MQTT ingest connected") || !started.isAlive());

        try (MqttProbe devices = new MqttProbe(broker.url())) {
            for (int i = 0; i < DEVICES && agent.isAlive(); i++) {
                String device = "device-" + i;
                devices.publish("sensors/" + device + "/temperature", "{\"deviceId\":\"" + device
                        + "\",\"type\":\"temperature\",\"value\":21.5,\"ts\":" + (TS0 + i) + "}");
            }
        }

        String metrics = "http://127.0.0.1:" + adminPort + "/metrics";
        await("every message acknowledged after storage, or the agent gone (log " + log + ")").atMost(WAIT)
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> !started.isAlive() || sample(metrics, "edge_messages_acknowledged_total") >= DEVICES);
        assertThat(agent.isAlive()).as("agent still running; its log: %s", tail(log)).isTrue();
        assertThat(sample(metrics, "edge_heap_guard_rules_disabled_total")).isEqualTo(1);
        assertThat(sample(metrics, "edge_buffer_events")).isEqualTo(DEVICES);
        assertThat(Files.readAllLines(log)).noneMatch(l -> l.contains("OutOfMemoryError"))
                .filteredOn(l -> l.contains("Rule last-per-device") && l.contains("disabled") && l.contains("heap"))
                .hasSize(1);
    }

    private static double sample(String url, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + " ")).mapToDouble(
                l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(-1);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
