package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.agent.Agent;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.rules.RuleStatus;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.MqttProbe;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and expensive rules against a running agent on a real Mosquitto: a rule that would start a process is
 * refused by {@code rules add} (and {@code rules validate}) and nothing runs; a rule that eats the pipeline's time
 * is disabled by the time budget; the example rule keeps turning good readings into commands throughout.
 */
@Timeout(240)
class RuleSandboxChaosIT {

    @TempDir
    static Path dir;

    private static MosquittoBroker broker;
    private static Agent agent;
    private static String config;

    @BeforeAll
    static void start() throws Exception {
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("broker")));
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.copy(TestConfigs.rulesDirectory().resolve("temperature-high.yaml"), rules.resolve("temperature-high.yaml"));
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, String.join("\n",
                "broker:",
                "  url: " + broker.url(),
                "  clientId: sandbox-it",
                "inputs:",
                "  - topic: sensors/+/+",
                "rules:",
                "  directory: rules",
                "  maxPipelineShare: 0.3",
                "  budgetWindow: 2s",
                "actions:",
                "  execAllowlist: [/bin/sleep]",
                "data:",
                "  directory: data",
                "admin:",
                "  port: " + MosquittoBroker.freePort(),
                ""));
        config = file.toString();
        agent = new Agent(ConfigLoader.fromSystem().load(file));
        agent.start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(20))).isTrue();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void rulesAdd_runtimeExecRule_isRefused_nothingRuns_andGoodReadingsKeepFiring() throws Exception {
        Path pwned = dir.resolve("pwned");
        Path rule = dir.resolve("rce.yaml");
        Files.writeString(rule, "name: rce\nepl: select java.lang.Runtime.getRuntime().exec('touch " + pwned
                + "') as p from Reading(type='rce')\n");

        CliRun add = CliRun.of("rules", "add", rule.toString(), "--config", config);
        CliRun validate = CliRun.of("rules", "validate", rule.toString(), "--config", config);
        Path events = dir.resolve("rce.events.jsonl");
        Files.writeString(events, "{\"kind\": \"Reading\", \"deviceId\": \"trap-1\", \"type\": \"rce\", "
                + "\"value\": 1, \"eventTime\": \"2026-01-01T00:00:00Z\"}\n");
        CliRun test = CliRun.of("rules", "test", rule.toString(), "--events", events.toString(), "--config", config);

        assertThat(add.exitCode()).as(add.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(add.err()).contains("rejected").contains("column 31: calling getRuntime(..) is not allowed");
        assertThat(validate.exitCode()).as(validate.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(validate.err()).contains("rce.yaml:2: epl: column 31: calling getRuntime(..) is not allowed");
        assertThat(test.exitCode()).as(test.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(test.err()).contains("rce.yaml:2: epl: column 31: calling getRuntime(..) is not allowed");
        assertThat(dir.resolve("rules/rce.yaml")).doesNotExist();
        try (MqttProbe probe = new MqttProbe(broker.url(), "actuators/#")) {
            probe.publish("sensors/trap-1/rce", "{\"deviceId\":\"trap-1\",\"type\":\"rce\",\"value\":1}");
            probe.publish("sensors/room-1/temperature", "{\"deviceId\":\"room-1\",\"type\":\"temperature\",\"value\":12}");
            await().atMost(Duration.ofSeconds(20)).until(() -> !probe.receivedOn("actuators/room-1/command").isEmpty());
        }
        assertThat(pwned).doesNotExist();
        assertThat(agent.rules()).extracting(RuleStatus::name).containsExactly("temperature-high");
    }

    @Test
    void expensiveRule_isDisabledByTheTimeBudget_andTheOthersKeepRunning() throws Exception {
        Path rule = dir.resolve("expensive.yaml");
        // Every load reading is compared with every earlier one, and no pair ever matches: cost grows per event.
        Files.writeString(rule, "name: expensive\nunboundedState: true\nepl: |\n"
                + "  select a.deviceId as deviceId from Reading(type = 'load')#keepall as a,\n"
                + "    Reading(type = 'load')#keepall as b where Math.sqrt(a.value * b.value) < 0\n");
        CliRun add = CliRun.of("rules", "add", rule.toString(), "--config", config);
        assertThat(add.exitCode()).as(add.err()).isZero();

        AtomicInteger sent = new AtomicInteger();
        try (MqttProbe probe = new MqttProbe(broker.url(), "actuators/#")) {
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (int i = 0; i < 200; i++) {
                    int n = sent.incrementAndGet();
                    probe.publish("sensors/load-" + (n % 50) + "/load",
                            "{\"deviceId\":\"load-" + (n % 50) + "\",\"type\":\"load\",\"value\":" + (1 + n % 7) + "}");
                }
                // The agent may still be loading the added rule: absent is "not yet", not a failure.
                return agent.rules().stream().anyMatch(s -> s.name().equals("expensive") && s.disabledReason() != null);
            });
            RuleStatus expensive = status("expensive");
            assertThat(expensive.enabled()).isFalse();
            assertThat(expensive.disabledReason()).contains("of the pipeline's time").contains("limit 30%");
            assertThat(status("temperature-high").enabled()).isTrue();

            probe.publish("sensors/room-2/temperature", "{\"deviceId\":\"room-2\",\"type\":\"temperature\",\"value\":13}");
            await().atMost(Duration.ofSeconds(60)).until(() -> !probe.receivedOn("actuators/room-2/command").isEmpty());
        }
        assertThat(CliRun.of("rules", "show", "expensive", "--config", config, "--json").out())
                .contains("\"disabledReason\" : \"it took");

        assertThat(CliRun.of("rules", "enable", "expensive", "--config", config).exitCode()).isZero();
        assertThat(status("expensive").enabled()).isTrue();
        assertThat(CliRun.of("rules", "remove", "expensive", "--config", config).exitCode()).isZero();
    }

    private static RuleStatus status(String name) {
        return agent.rules().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
