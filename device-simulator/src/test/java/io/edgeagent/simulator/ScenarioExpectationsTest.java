package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.simulator.scenario.ExpectedDetection;
import io.edgeagent.simulator.scenario.Scenario;
import io.edgeagent.simulator.scenario.Scenarios;
import io.edgeagent.simulator.testing.ExampleRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each built-in scenario, for several seeds, gives the example rules exactly what its expectations promise: every
 * detection by its deadline, no absent one at all, and the declared numbers of injected faults.
 */
class ScenarioExpectationsTest {

    static Stream<Arguments> scenariosAndSeeds() {
        return Scenarios.builtIn().stream()
                .flatMap(name -> LongStream.rangeClosed(1, 5).mapToObj(seed -> Arguments.of(name, seed)));
    }

    private static List<PlannedMessage> plan(String scenario, long seed) {
        return Simulator.plan(SimulatorOptions.builder().scenario(scenario).seed(seed)
                .startTime(Instant.parse("2026-11-22T08:00:00Z")).build());
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("scenariosAndSeeds")
    void builtInScenario_anySeed_firesEveryExpectedDetectionInTime(String name, long seed) {
        Scenario scenario = Scenarios.load(name);
        Map<String, Duration> fired = ExampleRules.firstFirings(plan(name, seed), scenario.duration());

        for (ExpectedDetection d : scenario.expect().detections()) {
            assertThat(fired).as("%s fires for %s", d.rule(), d.device()).containsKey(d.rule() + "/" + d.device());
            assertThat(fired.get(d.rule() + "/" + d.device())).as("%s for %s fires by %s", d.rule(), d.device(),
                    d.within()).isLessThanOrEqualTo(d.within());
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("scenariosAndSeeds")
    void builtInScenario_anySeed_firesNoAbsentDetection(String name, long seed) {
        Scenario scenario = Scenarios.load(name);
        Map<String, Duration> fired = ExampleRules.firstFirings(plan(name, seed), scenario.duration());

        for (ExpectedDetection d : scenario.expect().absent()) {
            assertThat(fired).as("%s must not fire for %s", d.rule(), d.device())
                    .doesNotContainKey(d.rule() + "/" + d.device());
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("scenariosAndSeeds")
    void builtInScenario_anySeed_publishesTheDeclaredFaults(String name, long seed) {
        Scenario scenario = Scenarios.load(name);
        List<PlannedMessage> plan = plan(name, seed);

        assertThat(plan).filteredOn(m -> m.kind() == MessageKind.MALFORMED).hasSize(scenario.expect().malformed());
        assertThat(plan).filteredOn(m -> m.kind() == MessageKind.DUPLICATE).hasSize(scenario.expect().duplicates());
        assertThat(plan).filteredOn(m -> m.kind() == MessageKind.OUT_OF_ORDER)
                .hasSize(scenario.expect().outOfOrder());
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("scenariosAndSeeds")
    void builtInScenario_anySeed_everyDeviceRunsUntilTheEnd(String name, long seed) {
        Scenario scenario = Scenarios.load(name);
        List<PlannedMessage> plan = plan(name, seed);

        // Devices that publish to the end keep device-silent quiet except where a scenario silences them on purpose.
        for (var device : scenario.devices()) {
            assertThat(plan).as("last message of %s", device.id())
                    .filteredOn(m -> m.deviceId().equals(device.id()))
                    .anyMatch(m -> m.offset().compareTo(scenario.duration().minusSeconds(2)) >= 0);
        }
    }
}
