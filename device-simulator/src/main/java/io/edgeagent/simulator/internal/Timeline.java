package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceEvent;
import java.time.Duration;
import java.util.List;

/** Helpers for the time windows in a device's events; all times are nanoseconds from the scenario start. */
final class Timeline {

    private Timeline() {
    }

    static long nanos(Duration d) {
        return d.toNanos();
    }

    /** Whether {@code t} falls in {@code [at, until)} of any of the events. */
    static boolean within(List<DeviceEvent> windows, long t) {
        for (DeviceEvent e : windows) {
            if (nanos(e.at()) <= t && t < nanos(e.until())) {
                return true;
            }
        }
        return false;
    }
}
