package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule's key and placeholders must name columns its statement selects; checked by the real engine on the real
 * compiled statement, wherever a rule enters: check (validate, config check, rules add) and deploy (load).
 */
class RuleOutputCheckTest {

    private static final RuleFileReader READER = new RuleFileReader(new Placeholders(name -> null));

    @TempDir
    Path dir;

    private final List<RuleFiring> fired = new CopyOnWriteArrayList<>();
    private final RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> fired.add(firing));

    @AfterEach
    void close() {
        engine.close();
    }

    private RuleDefinition rule(String yaml) throws IOException, ConfigException {
        Path file = dir.resolve("rule.yaml");
        Files.writeString(file, yaml);
        return READER.read(file);
    }

    private List<Problem> checkProblems(RuleDefinition rule) {
        try {
            engine.check(rule);
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Test
    void check_misspeltKey_namesFileLineAndTheColumn() throws Exception {
        RuleDefinition rule = rule("""
                name: hot
                epl: select deviceId, value from Reading(value > 8)
                cooldown: 60s
                key: devId
                """);

        assertThat(checkProblems(rule)).singleElement().extracting(Problem::describe).asString()
                .startsWith(dir.resolve("rule.yaml") + ":4: key = \"devId\": the key names no column")
                .contains("it selects deviceId, value").endsWith("did you mean 'deviceId'?");
    }

    @Test
    void check_misspeltPlaceholderInEveryTemplatedPlace_reportsEachWithItsLine() throws Exception {
        RuleDefinition rule = rule("""
                name: hot
                epl: select deviceId, value, unit from Reading(value > 8)
                actions:
                  - type: log
                    message: "{deviceId} at {valeu} {unit}"
                  - type: mqtt
                    topic: actuators/{devicId}/command
                    payload: {temperature: "{valeu}", "{unti}": 1}
                    await: {topic: "acks/{deviceid}", match: "{vlaue}"}
                  - type: exec
                    command: [/bin/echo, "{vaule}"]
                    workingDirectory: /tmp/{unitt}
                    environment: {T: "{valu}"}
                    when: "{valeu} > 3"
                  - type: http
                    url: http://127.0.0.1:9/{deviceId}/{temp}
                    headers: {X-Literal: "{not-a-template}"}
                    body: [{v: "{value}", w: "{wert}"}]
                    onFailure: compensate
                    compensate:
                      - type: emit
                        event: alert
                        fields: {device: "{device}"}
                """);

        List<Problem> problems = checkProblems(rule);

        assertThat(problems).extracting(p -> p.line() + " " + p.path() + " " + p.value()).containsExactly(
                "5 actions[0].message {valeu}",
                "7 actions[1].topic {devicId}",
                "8 actions[1].payload.temperature {valeu}",
                "8 actions[1].payload {unti}",
                "9 actions[1].await.topic {deviceid}",
                "9 actions[1].await.match {vlaue}",
                "11 actions[2].command[1] {vaule}",
                "12 actions[2].workingDirectory {unitt}",
                "13 actions[2].environment.T {valu}",
                "14 actions[2].when {valeu}",
                "16 actions[3].url {temp}",
                "18 actions[3].body[0].w {wert}",
                "23 actions[3].compensate[0].fields.device {device}");
        assertThat(problems.get(0).describe()).endsWith("did you mean 'value'?");
        assertThat(problems.get(4).describe()).endsWith("did you mean 'deviceId'?");
        assertThat(problems.get(11).describe()).doesNotContain("did you mean");
    }

    @Test
    void check_keyAndPlaceholdersOfSelectedColumns_passes() throws Exception {
        RuleDefinition rule = rule("""
                name: hot
                epl: select deviceId as room, value from Reading(value > 8)
                key: room
                actions:
                  - type: log
                    message: "{room} at {value}; {literal braces stay} as written"
                """);

        assertThat(checkProblems(rule)).isEmpty();
    }

    @Test
    void check_wildcardSelect_allowsTheEventsFields() throws Exception {
        RuleDefinition rule = rule("""
                name: hot
                epl: select * from Reading(value > 8)
                actions:
                  - type: log
                    message: "{deviceId} {type} {value} {unit} {eventTime}"
                """);

        assertThat(checkProblems(rule)).isEmpty();
    }

    @Test
    void deploy_misspeltKey_isRejectedAndThePreviousVersionKeepsRunning() throws Exception {
        engine.deploy(rule("name: hot\nepl: select deviceId, value from Reading(value > 8)\nkey: deviceId\n"));

        assertThatThrownBy(() -> engine.deploy(rule(
                "name: hot\nepl: select deviceId, value from Reading(value > 9)\nkey: devId\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'deviceId'?");

        engine.advanceTime(1_000);
        engine.send(new Reading("r1", "cold-room-1", "temperature", 8.5, "C", 1_000, 1_000, "t"));
        assertThat(fired).singleElement().extracting(RuleFiring::key).isEqualTo("cold-room-1");
    }

    @Test
    void deploy_disabledRuleWithMisspeltPlaceholder_isRejectedToo() throws Exception {
        assertThatThrownBy(() -> engine.deploy(rule("""
                name: hot
                enabled: false
                epl: select deviceId, value from Reading(value > 8)
                actions: [{type: log, message: "{valeu}"}]
                """))).isInstanceOf(ConfigException.class).hasMessageContaining("did you mean 'value'?");
    }

    @Test
    void ruleDirectoryWrite_misspeltPlaceholder_writesNothing() throws Exception {
        Path rules = Files.createDirectory(dir.resolve("rules"));
        try (RuleDirectory directory = new RuleDirectory(rules, READER, engine)) {
            assertThatThrownBy(() -> directory.write("hot", """
                    name: hot
                    epl: select deviceId, value from Reading(value > 8)
                    actions: [{type: log, message: "{valeu}"}]
                    """)).isInstanceOf(ConfigException.class).hasMessageContaining("{valeu}");
        }
        try (var files = Files.list(rules)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void check_workflowStepPlaceholder_isReportedAtTheCallingStep() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.createDirectory(dir.resolve("rules"));
        Files.writeString(config, TestConfigs.agentYaml("tcp://127.0.0.1:1", "t", 0,
                "actions:",
                "  workflows:",
                "    notify:",
                "      - type: log",
                "        message: \"{deviceId} {valeu}\""));
        RuleFileReader reader = RuleFileReader.forConfig(new ConfigLoader(new Placeholders(name -> null)).load(config));
        Path file = dir.resolve("rule.yaml");
        Files.writeString(file, """
                name: hot
                epl: select deviceId, value from Reading(value > 8)
                actions:
                  - type: log
                    message: ok
                  - type: workflow
                    name: notify
                """);

        assertThatThrownBy(() -> engine.check(reader.read(file))).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems(), InstanceOfAssertFactories.LIST).singleElement()
                .extracting(p -> ((Problem) p).describe()).asString()
                .startsWith(file + ":6: actions[1] (workflow notify)[0].message = \"{valeu}\"")
                .endsWith("did you mean 'value'?");
    }
}
