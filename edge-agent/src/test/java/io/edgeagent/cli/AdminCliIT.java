package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.agent.Agent;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.PrometheusParser;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The admin API and the CLI commands that use it, against a running agent on an embedded broker. */
@Timeout(60)
class AdminCliIT {

    private static final Pattern SAMPLE = Pattern.compile("[a-z_][a-z0-9_]*(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*})? -?[0-9.E+-]+");

    @TempDir
    static Path dir;

    private static EmbeddedBroker broker;
    private static Agent agent;
    private static String config;
    private static int adminPort;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start();
        Path rules = Files.createDirectories(dir.resolve("rules"));
        for (String rule : List.of("temperature-high", "speeding")) {
            Files.copy(TestConfigs.rulesDirectory().resolve(rule + ".yaml"), rules.resolve(rule + ".yaml"));
        }
        adminPort = MosquittoBroker.freePort();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: admin-it",
                "inputs:",
                "  - topic: sensors/+/+",
                "  - topic: trackers/+/location",
                "    event: location",
                "rules:",
                "  directory: rules",
                "data:",
                "  directory: data",
                "admin:",
                "  port: " + adminPort,
                ""));
        config = file.toString();
        agent = new Agent(ConfigLoader.fromSystem().load(file));
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(20))).isTrue();
    }

    @AfterAll
    static void stop() {
        agent.stop();
        broker.close();
    }

    @Test
    void status_runningAgent_showsConnectionRulesAndBuffer() {
        CliRun run = CliRun.of("status", "--config", config);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ready").contains("CONNECTED").contains("2 running").contains("buffer")
                .contains("uplink   disabled");
    }

    @Test
    void rulesAddShowDisableEnableRemove_changeTheRunningAgent() throws Exception {
        Path rule = dir.resolve("cold.yaml");
        Files.writeString(rule, "name: cold\nepl: select deviceId, value from Reading(value < -20)\nactions:\n"
                + "  - type: mqtt\n    topic: alerts/{deviceId}/cold\n    payload: \"{value}\"\n");

        CliRun add = CliRun.of("rules", "add", rule.toString(), "--config", config);
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).contains("Rule cold deployed (running)");
        assertThat(dir.resolve("rules/cold.yaml")).exists();

        try (MqttProbe probe = new MqttProbe(broker.url(), "alerts/#")) {
            probe.publish("sensors/freezer-1/temperature", "{\"deviceId\":\"freezer-1\",\"type\":\"temperature\",\"value\":-25}");
            await().atMost(Duration.ofSeconds(10)).until(() -> !probe.receivedOn("alerts/freezer-1/cold").isEmpty());
            assertThat(probe.receivedOn("alerts/freezer-1/cold").get(0).payload()).isEqualTo("-25");
        }
        CliRun show = CliRun.of("rules", "show", "cold", "--config", config);
        assertThat(show.out()).contains("cold (running)").contains("fired 1").contains("Reading(value < -20)")
                .contains("statements (Esper's metrics since deploy):").containsPattern("events in 1, rows out 1, wall ");
        CliRun showJson = CliRun.of("rules", "show", "cold", "--config", config, "--json");
        assertThat(showJson.out()).contains("\"eventsIn\" : 1").contains("\"rowsOut\" : 1").contains("\"wallNanos\"");

        assertThat(CliRun.of("rules", "disable", "cold", "--config", config).out()).contains("Rule cold is disabled.");
        assertThat(Files.readString(dir.resolve("rules/cold.yaml"))).contains("enabled: false");
        assertThat(CliRun.of("rules", "enable", "cold", "--config", config).out()).contains("Rule cold is running.");

        CliRun list = CliRun.of("rules", "list", "--config", config, "--json");
        assertThat(list.out()).contains("\"name\" : \"cold\"").contains("\"name\" : \"temperature-high\"");

        CliRun remove = CliRun.of("rules", "remove", "cold", "--config", config);
        assertThat(remove.exitCode()).isZero();
        assertThat(dir.resolve("rules/cold.yaml")).doesNotExist();
        assertThat(CliRun.of("rules", "show", "cold", "--config", config).err()).contains("no rule named cold");
    }

    @Test
    void rulesAdd_ruleThatDoesNotCompile_isRejectedWithProblems_andRunningRulesStay() throws Exception {
        Path rule = dir.resolve("broken.yaml");
        Files.writeString(rule, "name: broken\nepl: select deviceId from Reading(nosuchfield > 1)\n");

        CliRun run = CliRun.of("rules", "add", rule.toString(), "--config", config);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("rejected").contains("nosuchfield");
        assertThat(dir.resolve("rules/broken.yaml")).doesNotExist();
        assertThat(CliRun.of("rules", "list", "--config", config).out()).contains("temperature-high").contains("running");
    }

    @Test
    void wrongToken_isRefusedWithAClearMessage() throws IOException {
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(Path.of(config)).replace("  port: " + adminPort,
                "  port: " + adminPort + "\n  tokenFile: wrong.token"));
        Files.writeString(dir.resolve("wrong.token"), "not-the-token\n");

        CliRun run = CliRun.of("status", "--config", other.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("refused the token in").contains("wrong.token");
    }

    @Test
    void agentNotRunning_saysSoAndExitsNonZero() throws IOException {
        Path other = dir.resolve("nobody.yaml");
        Files.writeString(other, Files.readString(Path.of(config)).replace("  port: " + adminPort,
                "  port: " + MosquittoBroker.freePort() + "\n  tokenFile: data/admin.token"));

        CliRun run = CliRun.of("status", "--config", other.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("edge-agent is not running").contains("connection refused");
    }

    @Test
    void tokenFile_isCreatedReadableByItsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/admin.token"))))
                .isEqualTo("rw-------");
    }

    @Test
    void healthReadyAndMetrics_answerWithoutToken_metricsInPrometheusTextFormat() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + adminPort;
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("the API needs the token").isEqualTo(401);

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        List<String> lines = metrics.body().lines().toList();
        assertThat(lines).filteredOn(l -> !l.startsWith("#")).allSatisfy(l -> assertThat(l).matches(SAMPLE));
        assertThat(lines).contains("# TYPE edge_messages_received_total counter", "# TYPE edge_buffer_events gauge",
                "edge_mqtt_connected 1");
        assertThat(lines).anyMatch(l -> l.startsWith("edge_rule_firings_total{rule=\"temperature-high\"} "))
                .anyMatch(l -> l.startsWith("edge_action_runs_total{outcome=\"failed\"} "))
                .anyMatch(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\"} "));
        for (String line : lines.stream().filter(l -> l.startsWith("# TYPE ")).toList()) {
            String name = line.split(" ")[2];
            assertThat(lines).as("HELP for " + name).contains(lines.stream().filter(l -> l.startsWith("# HELP " + name + " "))
                    .findFirst().orElse("missing HELP for " + name));
        }
    }

    @Test
    void apiBuffer_hasTheFieldsOfBufferStatsJson() throws Exception {
        String token = Files.readString(dir.resolve("data/admin.token")).strip();

        HttpResponse<String> buffer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/api/buffer")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(buffer.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(buffer.body()).fieldNames()).toIterable()
                .containsExactly("events", "storedBytes", "fileBytes", "oldest", "oldestAgeSeconds", "dropped", "lost",
                        "deadLetters", "byKind");
        CliRun status = CliRun.of("status", "--config", config, "--json");
        assertThat(new ObjectMapper().readTree(status.out()).path("buffer").path("fileBytes").asLong()).isPositive();
    }

    @Test
    void metrics_referenceParser_readsEachFamilyOnceAsOneGroupWithItsType() throws Exception {
        try (MqttProbe probe = new MqttProbe(broker.url(), "alerts/#")) {
            probe.publish("sensors/probe-9/temperature", "{\"deviceId\":\"probe-9\",\"type\":\"temperature\",\"value\":12}");
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.counters().checkpoints() > 0
                    && agent.actions().startLatency().count() > 0);
        }
        String exposition = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();

        List<PrometheusParser.Family> families = PrometheusParser.parse(exposition);

        // A family whose lines come back after another family's is read as a second family, or as untyped samples.
        assertThat(families).extracting(PrometheusParser.Family::name).doesNotHaveDuplicates();
        assertThat(families).extracting(PrometheusParser.Family::type).doesNotContain("untyped", "unknown");
        assertThat(families).filteredOn(f -> f.name().equals("edge_rule_firings")).singleElement()
                .satisfies(f -> assertThat(f.samples()).extracting(sample -> sample.path("labels").path("rule").asText())
                        .containsExactlyInAnyOrder("temperature-high", "speeding"));
        for (String histogram : List.of("edge_buffer_checkpoint_seconds", "edge_action_start_latency_seconds")) {
            assertThat(families).filteredOn(f -> f.name().equals(histogram)).singleElement().satisfies(f -> {
                assertThat(f.type()).isEqualTo("histogram");
                assertThat(f.samples()).anySatisfy(sample -> {
                    assertThat(sample.path("name").asText()).isEqualTo(histogram + "_count");
                    assertThat(sample.path("value").asDouble()).isPositive();
                });
            });
        }
        assertThat(families).extracting(PrometheusParser.Family::name).as("no uplink configured")
                .noneMatch(name -> name.startsWith("edge_uplink_"));
    }
}
