package io.edgeagent.config;

import static io.edgeagent.config.ConfigLoaderTest.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleFileReaderTest {

    private static final RuleFileReader READER = new RuleFileReader(new Placeholders(Map.of("ALERT_TOPIC", "alerts/x")::get));
    private static final Path FILE = Path.of("rules/test-rule.yaml");

    @Test
    void read_everyRepositoryRule_parsesWithNameEplAndActions() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(TestConfigs.rulesDirectory())) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();

        for (Path file : files) {
            RuleDefinition rule;
            try {
                rule = READER.read(file);
            } catch (ConfigException e) {
                throw new AssertionError(file + " does not read: " + e.getMessage(), e);
            }
            assertThat(rule.source()).isEqualTo(file);
            assertThat(rule.epl()).as("%s epl", file).containsIgnoringCase("select").doesNotStartWith(" ");
            assertThat(rule.description()).as("%s description", file).isNotBlank();
            assertThat(rule.actions()).as("%s actions", file).isNotEmpty();
            assertThat(rule.enabled()).isTrue();
            String firstEplLine = Files.readAllLines(file).get(rule.eplLine() - 1);
            assertThat(firstEplLine.substring(rule.eplColumn() - 1)).as("%s: where the EPL starts", file)
                    .isEqualTo(rule.epl().lines().findFirst().orElseThrow());
        }
    }

    @Test
    void parse_fullRule_bindsEveryKey() throws ConfigException {
        String text = """
                name: cold.room-1_high
                description: too warm
                enabled: false
                cooldown: 90s
                key: room
                epl: select deviceId as room, value from Reading(value > 8)
                actions:
                  - type: log
                    level: WARN
                    message: "{room} at {value}"
                  - type: mqtt
                    topic: ${ENV:ALERT_TOPIC}/{room}
                    qos: 0
                    retain: true
                    payload: {cmd: start, value: "{value}"}
                """;

        RuleDefinition rule = READER.parse(FILE, text);

        assertThat(rule.name()).isEqualTo("cold.room-1_high");
        assertThat(rule.description()).isEqualTo("too warm");
        assertThat(rule.enabled()).isFalse();
        assertThat(rule.cooldown()).isEqualTo(Duration.ofSeconds(90));
        assertThat(rule.key()).isEqualTo("room");
        assertThat(rule.epl()).isEqualTo("select deviceId as room, value from Reading(value > 8)");
        assertThat(rule.actions()).hasSize(2);
        LogAction log = (LogAction) rule.actions().get(0);
        assertThat(log.level()).isEqualTo("warn");
        assertThat(log.message()).isEqualTo("{room} at {value}");
        MqttAction mqtt = (MqttAction) rule.actions().get(1);
        assertThat(mqtt.topic()).isEqualTo("alerts/x/{room}");
        assertThat(mqtt.qos()).isZero();
        assertThat(mqtt.retain()).isTrue();
        assertThat(mqtt.payload().get("cmd").asText()).isEqualTo("start");
        assertThat(mqtt.payload().get("value").asText()).isEqualTo("{value}");
    }

    /**
     * Relays and Tasmota take ON/OFF; the payload must be published as written. Yaml's contract: YAML 1.1 coercions
     * never turn NO into false. Only true and false (YAML 1.2) are booleans.
     */
    @Test
    void parse_mqttPayloadWithOnOffYesNoWords_keepsThemAsStrings() throws ConfigException {
        String text = """
                name: r
                epl: select * from Reading
                actions:
                  - type: mqtt
                    topic: cmnd/fan/POWER
                    payload: {power: ON, fan: off, confirm: yes, country: NO, flag: true}
                """;

        MqttAction mqtt = (MqttAction) READER.parse(FILE, text).actions().get(0);

        assertThat(mqtt.payload().toString())
                .isEqualTo("{\"power\":\"ON\",\"fan\":\"off\",\"confirm\":\"yes\",\"country\":\"NO\",\"flag\":true}");
    }

    @Test
    void parse_plainStringOnOff_staysAsWritten() throws ConfigException {
        String text = "name: r\nepl: select * from Reading\nactions:\n  - type: mqtt\n    topic: cmnd/fan/POWER\n"
                + "    payload: ON\n  - type: log\n    message: no\n";

        RuleDefinition rule = READER.parse(FILE, text);

        assertThat(((LogAction) rule.actions().get(1)).message()).isEqualTo("no");
        assertThat(((MqttAction) rule.actions().get(0)).payload().asText()).isEqualTo("ON");
    }

    @Test
    void parse_minimalRule_takesTheDefaults() throws ConfigException {
        RuleDefinition rule = READER.parse(FILE, "name: r\nepl: select * from Reading\n");

        assertThat(rule.enabled()).isTrue();
        assertThat(rule.cooldown()).isEqualTo(Duration.ZERO);
        assertThat(rule.key()).isEqualTo(RuleDefinition.DEFAULT_KEY);
        assertThat(rule.description()).isEmpty();
        assertThat(rule.actions()).isEmpty();
    }

    @Test
    void parse_missingNameAndEpl_reportsBoth() {
        List<Problem> problems = problems("description: nothing else\n");

        assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder("name", "epl");
        assertThat(problems).allSatisfy(p -> assertThat(p.source()).isEqualTo(FILE.toString()));
        assertThat(problems).filteredOn(p -> p.path().equals("epl")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("expected the rule's EPL statement"));
    }

    @Test
    void parse_badNameBlankEplNegativeCooldown_reportEachWithItsLine() {
        String text = """
                name: "cold room!"
                epl: "  "
                cooldown: PT-5S
                """;

        List<Problem> problems = problems(text);

        expect(problems, text, "name", "name:", "cold room!", "expected a rule name of letters, digits");
        expect(problems, text, "epl", "epl:", null, "expected the rule's EPL statement");
        expect(problems, text, "cooldown", "cooldown:", "-5s", "expected a duration of 0 or more");
        assertThat(problems).hasSize(3);
    }

    @Test
    void parse_unknownKey_isAProblemWithItsLineAndTheKnownKeys() {
        String text = "name: r\nepl: select * from Reading\ncooldwn: 5m\n";

        Problem p = expect(problems(text), text, "cooldwn", "cooldwn:", null, "unknown key");

        assertThat(p.message()).contains("actions", "cooldown", "description", "enabled", "epl", "key", "name");
    }

    @Test
    void parse_unknownActionType_isAProblemAtTheTypeKeyNamingTheKnownTypes() {
        String text = """
                name: r
                epl: select * from Reading
                actions:
                  - type: log
                    message: hi
                  - type: email
                    to: ops@example.com
                """;

        List<Problem> problems = problems(text);

        assertThat(problems).as(ConfigLoaderTest.describe(problems)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.path()).isEqualTo("actions[1].type");
            assertThat(p.value()).isEqualTo("email");
            assertThat(p.message()).contains("log", "mqtt");
        });
    }

    @Test
    void parse_unknownActionTypeAndOtherMistakes_reportsThemAll() {
        String text = """
                name: "bad name"
                epl: select * from Reading
                colour: red
                actions:
                  - type: email
                """;

        List<Problem> problems = problems(text);

        assertThat(problems).as(ConfigLoaderTest.describe(problems)).extracting(Problem::path)
                .containsExactlyInAnyOrder("name", "colour", "actions[0].type");
    }

    @Test
    void parse_actionMistakes_areEachReportedWithTheirLines() {
        String text = """
                name: r
                epl: select * from Reading
                actions:
                  - type: log
                    level: debug
                  - type: mqtt
                    topic: actuators/+/command
                    qos: 3
                  - topic: alerts/#
                    type: mqtt
                    payload: x
                """;

        List<Problem> problems = problems(text);

        expect(problems, text, "actions[0].message", "- type: log", null, "expected the message to log");
        expect(problems, text, "actions[0].level", "level: debug", "debug", "expected one of [info, warn, error]");
        expect(problems, text, "actions[1].topic", "topic: actuators/+/command", "actuators/+/command",
                "without wildcards");
        expect(problems, text, "actions[1].payload", "- type: mqtt", null, "expected a payload");
        expect(problems, text, "actions[1].qos", "qos: 3", "3", "expected 0, 1 or 2");
        expect(problems, text, "actions[2].topic", "topic: alerts/#", "alerts/#", "without wildcards");
        assertThat(problems).hasSize(6);
    }

    @Test
    void parse_blockEpl_mapsEveryEplPositionToTheSameCharacterInTheFile() throws ConfigException {
        String text = """
                name: r
                description: >
                  epl: this is description text, not the key
                epl: |
                    select deviceId, value
                      from Reading(type = 'temperature')
                    where value > 8
                cooldown: 1m
                """;

        RuleDefinition rule = READER.parse(FILE, text);

        assertThat(new int[] {rule.eplLine(), rule.eplColumn()}).containsExactly(5, 5);
        assertThat(rule.fileLocation(2, 2)).as("'f' of from").containsExactly(6, 7);
        assertEveryPositionMaps(rule, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "epl: select deviceId from Reading(value > 8)",
            "epl:    select deviceId from Reading(value > 8)   ",
            "epl: \"select deviceId from Reading(value > 8)\"",
            "epl: 'select deviceId from Reading(value > 8)'",
            "epl: |-\n  select deviceId\n  from Reading(value > 8)",
            "epl: |\n\n   select deviceId\n   from Reading(value > 8)\n\n"})
    void parse_inlineAndBlockEpl_mapEveryEplPositionToTheSameCharacterInTheFile(String eplLines)
            throws ConfigException {
        String text = "name: r\n" + eplLines + "\nactions: []\n";

        RuleDefinition rule = READER.parse(FILE, text);

        assertThat(rule.eplLine()).isEqualTo(text.lines().toList().indexOf(
                text.lines().filter(l -> l.contains("select")).findFirst().orElseThrow()) + 1);
        assertEveryPositionMaps(rule, text);
    }

    @Test
    void locateEpl_noEplKey_pointsAtTheStartOfTheFile() {
        assertThat(RuleFileReader.locateEpl("name: r\n")).containsExactly(1, 1, 0);
    }

    /** For every character of the EPL (line 1-based, column 0-based), fileLocation names the same character. */
    private static void assertEveryPositionMaps(RuleDefinition rule, String text) {
        List<String> fileLines = text.lines().toList();
        List<String> eplLines = rule.epl().lines().toList();
        for (int line = 1; line <= eplLines.size(); line++) {
            String eplLine = eplLines.get(line - 1);
            for (int column = 0; column < eplLine.length(); column++) {
                int[] at = rule.fileLocation(line, column);
                String fileLine = fileLines.get(at[0] - 1);
                assertThat(at[1]).as("EPL %d:%d maps to %d:%d, beyond the line", line, column, at[0], at[1])
                        .isBetween(1, fileLine.length());
                assertThat(fileLine.charAt(at[1] - 1)).as("EPL %d:%d ('%s') at file %d:%d", line, column,
                        eplLine.charAt(column), at[0], at[1]).isEqualTo(eplLine.charAt(column));
            }
        }
    }

    private static List<Problem> problems(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> READER.parse(FILE, text));
        assertThat(e).as("expected problems in:\n%s", text).isNotNull();
        return e.problems();
    }
}
