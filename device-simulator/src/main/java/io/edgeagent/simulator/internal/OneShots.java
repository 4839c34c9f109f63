package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceEvent;
import java.util.List;

/** A device's one-off events of one type, each used up by the first message at or after its time. */
final class OneShots {

    private final List<DeviceEvent> events;
    private int next;

    OneShots(List<DeviceEvent> eventsInTimeOrder) {
        this.events = eventsInTimeOrder;
    }

    /** The next event if it is due at {@code t} (and marks it used), otherwise null. */
    DeviceEvent take(long t) {
        if (next < events.size() && Timeline.nanos(events.get(next).at()) <= t) {
            return events.get(next++);
        }
        return null;
    }
}
