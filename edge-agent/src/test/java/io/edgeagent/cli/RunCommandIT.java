package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a real child process: readiness, then SIGTERM stops it cleanly with everything stored. */
class RunCommandIT {

    /** Event times in epoch ms of November 2026: inside pipeline.eventTime's window (after 2000, not ahead of now). */
    private static final long TS0 = 1_795_000_000_000L;

    private static final int EVENTS = 50;

    @Test
    @Timeout(90)
    void sigterm_afterEventsWereStored_stopsInOrderExits143AndLeavesEveryEventInTheBuffer(@TempDir Path dir) throws Exception {
        Path jar = TestConfigs.repositoryRoot().resolve("edge-agent/target/edge-agent.jar");
        assertThat(jar).as("built by the package phase before integration tests").exists();
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            int adminPort = MosquittoBroker.freePort();
            Path config = dir.resolve("config.yaml");
            Files.createDirectories(dir.resolve("rules"));
            Files.copy(TestConfigs.rulesDirectory().resolve("temperature-high.yaml"), dir.resolve("rules/temperature-high.yaml"));
            Files.writeString(config, "broker:\n  url: " + broker.url() + "\n  clientId: run-it\ninputs:\n"
                    + "  - topic: sensors/+/+\nadmin:\n  port: " + adminPort + "\n");
            Path log = dir.resolve("agent.log");
            Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + adminPort + "/ready");
                await("agent ready").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200);

                try (MqttProbe probe = new MqttProbe(broker.url())) {
                    for (int i = 0; i < EVENTS; i++) {
                        probe.publish("sensors/room-" + (i % 5) + "/temperature",
                                "{\"deviceId\":\"room-" + (i % 5) + "\",\"type\":\"temperature\",\"value\":" + i + ",\"ts\":" + (TS0 + i) + "}");
                    }
                }
                Path token = dir.resolve("data/admin.token");
                await("events stored").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> status(http, adminPort, token).contains("\"acknowledged\" : " + EVENTS));

                agent.destroy(); // SIGTERM
                assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("stopped within the unit's stop timeout").isTrue();
            } finally {
                agent.destroyForcibly();
            }

            String output = Files.readString(log);
            assertThat(agent.exitValue()).as(output).isEqualTo(143);
            assertThat(output).contains("Stopping edge-agent: ingest first, then drain the pipeline, storage last.");
            assertThat(output.indexOf("MQTT ingest disconnected")).as("ingest stops before the buffer closes")
                    .isLessThan(output.indexOf("Buffer closed"));
            assertThat(output).contains("edge-agent stopped: " + EVENTS + " messages in, " + EVENTS + " events stored");
            try (H2Buffer buffer = H2Buffer.open(dir.resolve("data"), BufferConfig.defaults())) {
                assertThat(buffer.depth()).isEqualTo(EVENTS);
            }
        }
    }

    private static String status(HttpClient http, int port, Path tokenFile) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                .header("Authorization", "Bearer " + Files.readString(tokenFile).trim()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
