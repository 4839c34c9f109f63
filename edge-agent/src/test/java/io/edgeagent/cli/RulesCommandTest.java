package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example rule is replayed on Esper's external clock against its recorded events in rules/tests/ and must fire
 * exactly as rules/tests/NAME.expected.jsonl says: through the real {@code rules test} command, so the fixtures,
 * the command and the rules are checked together.
 */
class RulesCommandTest {

    private static final Path RULES = TestConfigs.rulesDirectory();
    private static final String CONFIG = TestConfigs.repositoryRoot().resolve("config.yaml").toString();

    static Stream<String> exampleRules() throws IOException {
        try (Stream<Path> files = Files.list(RULES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exampleRules")
    void rulesTest_exampleRuleWithItsRecording_firesExactlyAsExpected(String rule) {
        Path events = RULES.resolve("tests/" + rule + ".events.jsonl");
        Path expected = RULES.resolve("tests/" + rule + ".expected.jsonl");
        assertThat(events).as("every example rule has recorded events").exists();
        assertThat(expected).as("every example rule has expected firings").exists();

        CliRun run = CliRun.of("rules", "test", RULES.resolve(rule + ".yaml").toString(), "--events", events.toString(),
                "--expect", expected.toString(), "--config", CONFIG);

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("All firings match");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void rulesTest_expectationDiffers_printsEachDifferenceAndExitsNonZero(@TempDir Path dir) throws IOException {
        Path expected = dir.resolve("wrong.jsonl");
        Files.writeString(expected, String.join("\n",
                "{\"rule\":\"temperature-high\",\"key\":\"cold-room-1\",\"fields\":{\"value\":9.0}}",
                "{\"rule\":\"temperature-high\",\"key\":\"cold-room-2\",\"fields\":{\"value\":99.0}}"));

        CliRun run = CliRun.of("rules", "test", RULES.resolve("temperature-high.yaml").toString(), "--events",
                RULES.resolve("tests/temperature-high.events.jsonl").toString(), "--expect", expected.toString(),
                "--config", CONFIG);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("2 differences").contains("firing 2: field value differs")
                .contains("firing 3: unexpected");
    }

    @Test
    void rulesTest_declaredEventType_replaysItsEvents_andAnUndeclaredKindNamesTheLine(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "eventTypes:\n  Vibration:\n    rms: double\ninputs:\n  - topic: machines/+/vibration\n"
                + "    event: Vibration\nrules:\n  directory: rules\n");
        Path rule = dir.resolve("shaking.yaml");
        Files.writeString(rule, "name: shaking\nepl: select deviceId, rms from Vibration(rms > 4.5)\n");
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, String.join("\n",
                "{\"kind\":\"Vibration\",\"deviceId\":\"press-1\",\"eventTime\":1000,\"fields\":{\"rms\":3}}",
                "{\"kind\":\"Vibration\",\"deviceId\":\"press-1\",\"eventTime\":2000,\"fields\":{\"rms\":5}}"));

        CliRun run = CliRun.of("rules", "test", rule.toString(), "--events", events.toString(), "--config",
                config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("shaking").contains("rms=5.0").doesNotContain("rms=3.0");

        Files.writeString(events, "{\"kind\":\"Shock\",\"deviceId\":\"press-1\",\"eventTime\":1000,\"fields\":{}}\n");
        CliRun bad = CliRun.of("rules", "test", rule.toString(), "--events", events.toString(), "--config",
                config.toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("events.jsonl:1").contains("Shock");
    }

    @Test
    void rulesTest_printsWhichActionsWouldRun_withoutRunningThem() {
        CliRun run = CliRun.of("rules", "test", RULES.resolve("temperature-high.yaml").toString(), "--events",
                RULES.resolve("tests/temperature-high.events.jsonl").toString(), "--config", CONFIG);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("would run: log warn \"cold-room-1 is at 9 C, above 8 C\"")
                .contains("would run: mqtt actuators/cold-room-2/command qos 1 "
                        + "{\"command\":\"compressor-on\",\"reason\":\"temperature-high\",\"temperature\":8.5}")
                .contains("3 firings.");
    }

    @Test
    void rulesTest_badEventLine_namesFileAndLine(@TempDir Path dir) throws IOException {
        Path events = dir.resolve("events.jsonl");
        Files.writeString(events, "{\"kind\":\"Reading\",\"deviceId\":\"a\",\"type\":\"temperature\",\"value\":1,"
                + "\"eventTime\":0}\n{\"kind\":\"Reading\",\"deviceId\":\"a\",\"type\":\"temperature\",\"eventTime\":0}\n");

        CliRun run = CliRun.of("rules", "test", RULES.resolve("temperature-high.yaml").toString(), "--events",
                events.toString(), "--config", CONFIG);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("events.jsonl:2: field 'value': expected a number");
    }

    @Test
    void rulesValidate_eplSyntaxError_namesFileLineColumnAndExpectation(@TempDir Path dir) throws IOException {
        Path rule = dir.resolve("broken.yaml");
        Files.writeString(rule, String.join("\n",
                "name: broken",
                "description: a typo in the EPL",
                "epl: |",
                "  select deviceId, value",
                "  form Reading(value > 30)",
                "actions: []",
                ""));

        CliRun run = CliRun.of("rules", "validate", rule.toString(), "--config", CONFIG);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains(rule + ":5: epl: column 8: Incorrect syntax near 'Reading'")
                .doesNotContain("at line 2");
    }

    @Test
    void rulesValidate_unknownPropertyAndUnknownFence_areEachReported(@TempDir Path dir) throws IOException {
        Path property = dir.resolve("property.yaml");
        Files.writeString(property, "name: property\nepl: select deviceId from Reading(temperature > 30)\n");
        Path fence = dir.resolve("fence.yaml");
        Files.writeString(fence, "name: fence\nepl: |\n  select deviceId\n  from Location(fence('warehouse', lat, lon) = 'inside')\n");

        CliRun run = CliRun.of("rules", "validate", property.toString(), fence.toString(), "--config", CONFIG);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains(property + ":2: epl: column").contains("temperature")
                .contains(fence + ":4: epl = \"warehouse\": unknown geofence (configured: depot");
    }

    @Test
    void rulesValidate_workflowNotInConfiguration_isRejectedAtLoad(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "inputs:\n  - topic: sensors/+/+\nactions:\n  workflows:\n    cool-down:\n"
                + "      - type: log\n        message: cooling\n");
        Path rule = dir.resolve("calls.yaml");
        Files.writeString(rule, "name: calls\nepl: select deviceId from Reading(value > 30)\nactions:\n"
                + "  - type: workflow\n    name: cool-down\n  - type: workflow\n    name: warm-up\n");

        CliRun run = CliRun.of("rules", "validate", rule.toString(), "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains(rule + ":7: actions[1].name = \"warm-up\": unknown workflow (configured: cool-down")
                .doesNotContain("actions[0]");
    }

    @Test
    void rulesValidate_everyExampleRule_isValid() throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("rules", "validate", "--config", CONFIG));
        exampleRules().forEach(name -> args.add(RULES.resolve(name + ".yaml").toString()));

        CliRun run = CliRun.of(args.toArray(new String[0]));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(args.size() - 4).allMatch(l -> l.endsWith(" is valid"));
    }
}
