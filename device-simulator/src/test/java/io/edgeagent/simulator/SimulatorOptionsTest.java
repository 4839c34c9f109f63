package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void build_scenarioWithoutDuration_takesTheScenariosDuration() {
        SimulatorOptions opts = SimulatorOptions.builder().scenario("fleet").build();

        assertThat(opts.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(opts.scenario()).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo("fleet"));
    }

    @Test
    void build_noSeed_drawsOneSoTheRunCanBeRepeated() {
        SimulatorOptions a = SimulatorOptions.builder().devices(1).build();
        SimulatorOptions b = SimulatorOptions.builder().devices(1).build();

        assertThat(a.seed()).isNotEqualTo(b.seed());
    }

    @Test
    void build_severalBadSettings_namesEachWithItsValue() {
        assertThatThrownBy(() -> SimulatorOptions.builder().broker("http://x").devices(-1).rate(0).qos(3)
                .connections(0).password("secret").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broker = http://x: expected tcp://host:port or ssl://host:port")
                .hasMessageContaining("devices = -1")
                .hasMessageContaining("rate = 0.0")
                .hasMessageContaining("qos = 3")
                .hasMessageContaining("connections = 0")
                .hasMessageContaining("password given without a username")
                .hasMessageNotContaining("secret");
    }

    @Test
    void build_nothingToSimulate_saysWhatToAdd() {
        assertThatThrownBy(() -> SimulatorOptions.builder().build())
                .hasMessageContaining("name a scenario or ask for 1 or more devices");
    }

    @Test
    void build_tlsFilesWithTcpBroker_isRefused() {
        assertThatThrownBy(() -> SimulatorOptions.builder().devices(1).caFile(Path.of("pom.xml")).build())
                .hasMessageContaining("not an ssl:// URI");
    }

    @Test
    void build_unknownScenario_reportsItAsAScenarioProblem() {
        assertThatThrownBy(() -> SimulatorOptions.builder().scenario("nope").build())
                .hasMessageStartingWith("scenario: unknown scenario 'nope'");
    }

    @Test
    void toString_withPassword_hidesIt() {
        SimulatorOptions opts = SimulatorOptions.builder().devices(1).username("u").password("hunter2").build();

        assertThat(opts.toString()).contains("password=***").doesNotContain("hunter2");
    }
}
