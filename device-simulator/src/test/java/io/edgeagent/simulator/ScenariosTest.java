package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.simulator.scenario.DeviceKind;
import io.edgeagent.simulator.scenario.EventType;
import io.edgeagent.simulator.scenario.ExpectedDetection;
import io.edgeagent.simulator.scenario.Malformation;
import io.edgeagent.simulator.scenario.Scenario;
import io.edgeagent.simulator.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenariosTest {

    static final Path DOC_EXAMPLE = Path.of("src/test/resources/example-scenario.yaml");

    @Test
    void builtIn_always_listsTheFourShippedScenarios() {
        assertThat(Scenarios.builtIn()).containsExactly("demo", "heatwave", "fleet", "flaky");
    }

    @Test
    void load_demo_hasTheDevicesTheAgentDemoRelatesOn() {
        Scenario demo = Scenarios.load("demo");

        assertThat(demo.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(demo.devices()).extracting(d -> d.id() + ":" + d.kind().yamlName()).containsExactly(
                "cold-room-1:temperature", "cold-room-2:temperature", "cold-room-3:temperature",
                "door-cold-room-2:door", "truck-1:tracker");
        assertThat(demo.expect().detections()).contains(
                new ExpectedDetection("temperature-high", "cold-room-2", Duration.ofSeconds(15)),
                new ExpectedDetection("geofence-exit", "truck-1", Duration.ofSeconds(15)));
    }

    @Test
    void load_flaky_declaresItsFaultsAsCounts() {
        Scenario flaky = Scenarios.load("flaky");

        assertThat(flaky.expect().malformed()).isEqualTo(3);
        assertThat(flaky.expect().duplicates()).isEqualTo(2);
        assertThat(flaky.expect().outOfOrder()).isEqualTo(2);
        assertThat(flaky.devices().get(1).events()).extracting(e -> e.payload())
                .containsExactly(Malformation.TRUNCATED, Malformation.NON_NUMERIC, Malformation.WRONG_TYPE);
    }

    @Test
    void load_docExampleFile_parsesEveryDocumentedField() {
        Scenario s = Scenarios.load(DOC_EXAMPLE.toString());

        assertThat(s.name()).isEqualTo("freezer-and-van");
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.devices()).extracting(d -> d.kind()).containsExactly(DeviceKind.TEMPERATURE,
                DeviceKind.HUMIDITY, DeviceKind.DOOR, DeviceKind.TRACKER);
        assertThat(s.devices().get(0).interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.devices().get(0).events(EventType.RAMP)).singleElement()
                .satisfies(e -> assertThat(e.value()).isEqualTo(-10.0));
        assertThat(s.devices().get(3).route()).hasSize(3);
        assertThat(s.devices().get(3).accuracy()).isEqualTo(8.0);
        assertThat(s.expect().duplicates()).isEqualTo(1);
    }

    @Test
    void load_unknownName_listsBuiltInsInTheMessage() {
        assertThatThrownBy(() -> Scenarios.load("no-such-thing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'no-such-thing'").hasMessageContaining("demo, heatwave, fleet, flaky");
    }

    @Test
    void parse_severalMistakes_reportsEveryProblemWithItsPath() {
        String yaml = """
                name: Bad Name
                duration: 10s
                devices:
                  - {id: a, kind: temperature, events: [{type: speed, at: 1s, value: 3}]}
                  - {id: a, kind: tracker}
                  - {id: 'b c', kind: door, events: [{type: open, at: 5s, until: 2s}]}
                expect:
                  detections: [{rule: temperature-high, device: ghost, within: 5s}]
                  malformed: 2
                """;

        assertThatThrownBy(() -> Scenarios.parse(yaml, "bad.yaml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad.yaml has 8 problems")
                .hasMessageContaining("name = Bad Name")
                .hasMessageContaining("devices[0].events[0].type = speed: does not apply to a temperature device")
                .hasMessageContaining("devices[1].id = a: the id is used by an earlier device")
                .hasMessageContaining("devices[1].route: a tracker needs at least one waypoint")
                .hasMessageContaining("devices[2].id = b c")
                .hasMessageContaining("devices[2].events[0].until = 2s: an event of type open needs an 'until' after 'at'")
                .hasMessageContaining("expect.detections[0].device = ghost")
                .hasMessageContaining("expect.malformed = 2: the devices have 0 malformed events");
    }

    @Test
    void parse_unknownKey_namesTheLine() {
        String yaml = "name: x\nduration: 10s\ndevices:\n  - {id: a, kind: temperature, colour: red}\n";

        assertThatThrownBy(() -> Scenarios.parse(yaml, "typo.yaml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typo.yaml is not a valid scenario at line 4")
                .hasMessageContaining("colour");
    }

    @Test
    void parse_durationWithoutUnit_explainsTheForms() {
        String yaml = "name: x\nduration: 10\ndevices:\n  - {id: a, kind: temperature}\n";

        assertThatThrownBy(() -> Scenarios.parse(yaml, "x.yaml")).hasMessageContaining("'10' is not a duration");
    }

    @Test
    void load_userFile_isReadFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.yaml");
        Files.writeString(file, "name: mine\nduration: 5s\ndevices:\n  - {id: probe-1, kind: humidity}\n");

        Scenario s = Scenarios.load(file.toString());

        assertThat(s.devices()).singleElement().satisfies(d -> {
            assertThat(d.base()).isEqualTo(80.0);
            assertThat(d.interval()).isEqualTo(Duration.ofSeconds(1));
        });
    }
}
