package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceEvent;
import io.edgeagent.simulator.scenario.DeviceKind;
import io.edgeagent.simulator.scenario.DeviceSpec;
import io.edgeagent.simulator.scenario.EventType;
import java.util.List;

/** A door contact that reports its state every interval: 1 while an {@code open} event lasts, 0 otherwise. */
final class DoorModel implements DeviceModel {

    private final String deviceId;
    private final List<DeviceEvent> openings;

    DoorModel(DeviceSpec spec) {
        this.deviceId = spec.id();
        this.openings = spec.events(EventType.OPEN);
    }

    @Override
    public Sample sampleAt(long t) {
        return new Sample.Reading(deviceId, DeviceKind.DOOR,
                Timeline.within(openings, t) ? 1 : 0);
    }
}
