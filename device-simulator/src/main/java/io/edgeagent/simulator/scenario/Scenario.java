package io.edgeagent.simulator.scenario;

import java.time.Duration;
import java.util.List;

/**
 * A validated scenario: devices with their timelines, and what a correct agent detects. Immutable; obtain one from
 * {@link Scenarios}.
 *
 * @param name        short name, e.g. {@code heatwave}
 * @param description what happens, in a sentence or two
 * @param duration    how long the scenario runs unless the caller says otherwise
 * @param devices     the scenario's own devices
 * @param expect      what a correct agent detects at the default settings
 */
public record Scenario(String name, String description, Duration duration, List<DeviceSpec> devices,
                       Expectations expect) {

    public Scenario {
        description = description == null ? "" : description.trim();
        devices = devices == null ? List.of() : List.copyOf(devices);
        expect = expect == null ? Expectations.none() : expect;
    }
}
