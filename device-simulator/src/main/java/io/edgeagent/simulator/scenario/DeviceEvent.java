package io.edgeagent.simulator.scenario;

import java.time.Duration;

/**
 * One event in a device's timeline; times are offsets from the scenario start. Which fields an event needs depends on
 * its {@link EventType}; {@link Scenarios} checks that when it loads a file.
 *
 * @param type    what happens
 * @param at      when it starts
 * @param until   when it ends, for events that last (null otherwise)
 * @param value   the target level (ramp, spike) or speed in m/s (speed); null otherwise
 * @param payload how a {@code malformed} message is broken; null otherwise
 */
public record DeviceEvent(EventType type, Duration at, Duration until, Double value, Malformation payload) {
}
