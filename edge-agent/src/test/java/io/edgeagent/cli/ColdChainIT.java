package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.edgeagent.agent.Agent;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold-chain example of docs/actions.md ({@code docs/examples/cold-chain.yaml}) in a running agent: readings over
 * the embedded broker, a real compressor stand-in that acknowledges over MQTT, a siren script, a webhook on a loopback
 * HTTP server, and the {@code actions} CLI over the admin API. The example's siren path, webhook URL, token and 30 s
 * acknowledgement timeout are pointed at the test doubles; everything else is the file as documented.
 */
@Timeout(90)
class ColdChainIT {

    private static final String TOKEN = "cold-chain-test-token";

    @TempDir
    static Path dir;

    private static EmbeddedBroker broker;
    private static Agent agent;
    private static HttpServer webhook;
    private static MqttAsyncClient compressor;
    private static final List<String> webhookCalls = new CopyOnWriteArrayList<>();
    private static String config;
    private static Path sirenLog;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hooks/cold-chain", exchange -> {
            webhookCalls.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        sirenLog = dir.resolve("siren.log");
        Path siren = dir.resolve("siren");
        Files.writeString(siren, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + sirenLog + "\necho siren on\n");
        Files.setPosixFilePermissions(siren, PosixFilePermissions.fromString("rwxr-xr-x"));

        // Only cold-1's compressor is alive: it answers every start command on its ack topic.
        compressor = MqttProbe.subscribed(
                () -> new MqttAsyncClient(broker.url(), "compressor-" + UUID.randomUUID(), new MemoryPersistence()),
                client -> {
                    client.connect(new MqttConnectOptions()).waitForCompletion(10_000);
                    client.subscribe("actuators/cold-1/compressor", 1, (topic, message) -> client.publish(
                            "actuators/cold-1/ack", "{\"state\":\"started\"}".getBytes(StandardCharsets.UTF_8), 1, false))
                            .waitForCompletion(10_000);
                });

        Path rules = Files.createDirectories(dir.resolve("rules"));
        String example = Files.readString(TestConfigs.repositoryRoot().resolve("docs/examples/cold-chain.yaml"))
                .replace("/usr/local/bin/siren", siren.toString())
                .replace("https://alerts.example.com", "http://127.0.0.1:" + webhook.getAddress().getPort())
                .replace("${ENV:COLD_CHAIN_WEBHOOK_TOKEN}", TOKEN)
                .replace("timeout: 30s", "timeout: 1s");
        Files.writeString(rules.resolve("cold-chain.yaml"), example);
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, TestConfigs.agentYaml(broker.url(), "cold-chain-it", MosquittoBroker.freePort(),
                "actions:",
                "  execAllowlist: [" + siren + "]"));
        config = file.toString();
        agent = new Agent(ConfigLoader.fromSystem().load(file));
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(20))).isTrue();
        assertThat(agent.ruleProblems()).isEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        agent.stop();
        compressor.disconnect().waitForCompletion(5000);
        compressor.close();
        webhook.stop(0);
        broker.close();
    }

    @Test
    void coldChain_compressorAcknowledges_runSucceedsWithoutSirenOrWebhook() throws Exception {
        try (MqttProbe probe = new MqttProbe(broker.url(), "actuators/#")) {
            probe.publish("sensors/cold-1/temperature", "{\"deviceId\":\"cold-1\",\"type\":\"temperature\",\"value\":9.5}");
            JsonNode run = await().atMost(Duration.ofSeconds(20)).until(() -> runOf("cold-1"),
                    r -> r != null && r.path("status").asText().equals("succeeded"));

            assertThat(probe.receivedOn("actuators/cold-1/compressor")).singleElement()
                    .satisfies(m -> assertThat(m.payload()).isEqualTo("{\"command\":\"start\",\"reason\":\"temperature 9.5 C\"}"));
            assertThat(run.path("retryOf").isNull()).isTrue();
        }
        assertThat(webhookCalls).noneMatch(call -> call.contains("cold-1"));
        assertThat(Files.exists(sirenLog) ? Files.readString(sirenLog) : "").doesNotContain("cold-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.buffer().peek(1000).stream()
                .anyMatch(e -> e.kind().equals("Derived") && e.body().contains("\"deviceId\":\"cold-1\"")));
        BufferedEvent alert = agent.buffer().peek(1000).stream().filter(e -> e.kind().equals("Derived")
                && e.body().contains("cold-1")).findFirst().orElseThrow();
        assertThat(new ObjectMapper().readTree(alert.body()).path("fields").path("temperature").asDouble()).isEqualTo(9.5);
    }

    @Test
    void coldChain_noAcknowledgement_sirenAndWebhook_thenListedAndRetriedThroughTheCli() throws Exception {
        try (MqttProbe probe = new MqttProbe(broker.url(), "sensors/#")) {
            probe.publish("sensors/cold-2/temperature", "{\"deviceId\":\"cold-2\",\"type\":\"temperature\",\"value\":11}");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode r = runOf("cold-2");
            return r != null && r.path("status").asText().equals("failed");
        });
        assertThat(Files.readAllLines(sirenLog)).contains("--zone cold-2");
        assertThat(webhookCalls).anySatisfy(call -> assertThat(call)
                .startsWith("Bearer " + TOKEN + " ")
                .contains("\"device\":\"cold-2\"").contains("\"temperature\":11"));

        CliRun failed = CliRun.of("actions", "failed", "--config", config, "--json");
        assertThat(failed.exitCode()).as(failed.err()).isZero();
        JsonNode list = new ObjectMapper().readTree(failed.out());
        JsonNode run = null;
        for (JsonNode r : list) {
            if (r.path("key").asText().equals("cold-2")) {
                run = r;
            }
        }
        assertThat(run).isNotNull();
        assertThat(run.path("error").asText()).contains("no acknowledgement on actuators/cold-2/ack within 1000 ms")
                .contains("compensation ran");
        assertThat(failed.out()).doesNotContain(TOKEN);
        long id = run.path("id").asLong();

        CliRun text = CliRun.of("actions", "runs", "--config", config);
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("cold-chain").contains("cold-2").contains("failed");

        CliRun show = CliRun.of("actions", "show", String.valueOf(id), "--config", config);
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("run " + id + " of rule cold-chain for cold-2: failed")
                .contains("step 0      emit     ok").contains("step 1      mqtt     failed")
                .contains("step 1.c0   exec     ok").contains("    | siren on")
                .contains("step 1.c1   http     ok").contains("    | HTTP 204")
                .doesNotContain(TOKEN);

        CliRun retry = CliRun.of("actions", "retry", String.valueOf(id), "--config", config);
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.out()).startsWith("run " + id + " retried as run ");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readAllLines(sirenLog).stream()
                .filter(l -> l.equals("--zone cold-2")).count() == 2);

        CliRun missing = CliRun.of("actions", "retry", "999999", "--config", config);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.err()).contains("no action run 999999");
    }

    /** The newest run for {@code key} through the admin API, or null. */
    private static JsonNode runOf(String key) throws Exception {
        CliRun runs = CliRun.of("actions", "runs", "--config", config, "--json");
        if (runs.exitCode() != 0) {
            return null;
        }
        for (JsonNode run : new ObjectMapper().readTree(runs.out())) {
            if (run.path("key").asText().equals(key)) {
                return run;
            }
        }
        return null;
    }
}
