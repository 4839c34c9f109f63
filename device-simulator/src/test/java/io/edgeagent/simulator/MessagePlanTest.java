package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker-free plan: deterministic, complete, and shaped by the options as documented. */
class MessagePlanTest {

    private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SimulatorOptions.Builder demo() {
        return SimulatorOptions.builder().scenario("demo").seed(42L).startTime(START);
    }

    @Test
    void plan_sameSeed_givesIdenticalTopicsAndPayloads() {
        assertThat(Simulator.plan(demo().build())).isEqualTo(Simulator.plan(demo().build()));
    }

    @Test
    void plan_otherSeed_givesOtherReadings() {
        List<String> a = Simulator.plan(demo().build()).stream().map(PlannedMessage::payloadText).toList();
        List<String> b = Simulator.plan(demo().seed(43L).build()).stream().map(PlannedMessage::payloadText).toList();

        assertThat(a).hasSameSizeAs(b).isNotEqualTo(b);
    }

    @Test
    void plan_demo_publishesEachDeviceOncePerSecondInTimeOrder() {
        List<PlannedMessage> plan = Simulator.plan(demo().build());

        assertThat(plan).hasSize(5 * 30);
        assertThat(plan).extracting(PlannedMessage::offset).isSorted();
        assertThat(plan).filteredOn(m -> m.deviceId().equals("truck-1")).extracting(PlannedMessage::offset)
                .startsWith(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void plan_timestamps_areTheStartTimePlusTheSendOffset() throws Exception {
        for (PlannedMessage m : Simulator.plan(demo().build())) {
            assertThat(Instant.parse(JSON.readTree(m.payload()).get("ts").asText())).isEqualTo(START.plus(m.offset()));
        }
    }

    @Test
    void plan_extraDevices_leaveTheScenarioDevicesUnchanged() {
        List<PlannedMessage> alone = Simulator.plan(demo().build());
        List<PlannedMessage> withExtras = Simulator.plan(demo().devices(50).build());

        assertThat(withExtras).filteredOn(m -> !m.deviceId().startsWith("sensor-")).isEqualTo(alone);
        assertThat(withExtras).extracting(PlannedMessage::deviceId).contains("sensor-00001", "sensor-00050")
                .doesNotContain("sensor-00051");
    }

    @Test
    void plan_genericDevicesAtRate_sendRateTimesDurationEach() {
        List<PlannedMessage> plan = Simulator.plan(SimulatorOptions.builder().devices(100).rate(20)
                .duration(Duration.ofSeconds(3)).seed(1L).startTime(START).build());

        assertThat(plan).hasSize(100 * 20 * 3);
        assertThat(plan).filteredOn(m -> m.deviceId().equals("sensor-00007")).hasSize(60);
    }

    @Test
    void plan_genericDevices_readColdStoreTemperaturesBelowTheAlarmThreshold() throws Exception {
        List<PlannedMessage> plan = Simulator.plan(SimulatorOptions.builder().devices(200).seed(5L)
                .duration(Duration.ofSeconds(2)).startTime(START).build());

        for (PlannedMessage m : plan) {
            assertThat(m.topic()).matches("sensors/sensor-\\d{5}/temperature");
            assertThat(JSON.readTree(m.payload()).get("value").asDouble()).isBetween(1.0, 6.0);
        }
    }

    @Test
    void plan_duplicate_isByteIdenticalToTheMessageBefore() {
        List<PlannedMessage> plan = Simulator.plan(SimulatorOptions.builder().scenario("flaky").seed(3L).build());

        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).kind() == MessageKind.DUPLICATE) {
                assertThat(plan.get(i).payload()).isEqualTo(plan.get(i - 1).payload());
                assertThat(plan.get(i).topic()).isEqualTo(plan.get(i - 1).topic());
            }
        }
    }

    @Test
    void plan_outOfOrder_carriesAnOlderTimeThanTheDevicesMessageBefore() throws Exception {
        List<PlannedMessage> plan = Simulator.plan(SimulatorOptions.builder().scenario("flaky").seed(3L)
                .startTime(START).build());
        List<PlannedMessage> d = plan.stream().filter(m -> m.deviceId().equals("sensor-d")).toList();

        int reordered = 0;
        for (int i = 1; i < d.size(); i++) {
            Instant previous = Instant.parse(JSON.readTree(d.get(i - 1).payload()).get("ts").asText());
            Instant current = Instant.parse(JSON.readTree(d.get(i).payload()).get("ts").asText());
            assertThat(current.isBefore(previous)).isEqualTo(d.get(i).kind() == MessageKind.OUT_OF_ORDER);
            reordered += current.isBefore(previous) ? 1 : 0;
        }
        assertThat(reordered).isEqualTo(2);
    }

    @Test
    void plan_silentDevice_publishesNothingInItsWindow() {
        List<PlannedMessage> plan = Simulator.plan(SimulatorOptions.builder().scenario("flaky").seed(3L).build());

        assertThat(plan).filteredOn(m -> m.deviceId().equals("sensor-a")).extracting(m -> m.offset().toSeconds())
                .containsExactly(0L, 1L, 2L, 3L, 24L, 25L, 26L, 27L, 28L, 29L);
    }

    @Test
    void plan_untilStopped_isRefused() {
        assertThatThrownBy(() -> Simulator.plan(demo().duration(Duration.ZERO).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite duration");
    }
}
