package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceKind;

/** What a device measured at one moment, before it is encoded in a payload format. */
public sealed interface Sample {

    String deviceId();

    /** A sensor or door reading; the kind gives its type and unit. */
    record Reading(String deviceId, DeviceKind kind, double value) implements Sample {
    }

    /** A tracker's position; speed in m/s, heading in degrees clockwise from north, accuracy in m. */
    record Position(String deviceId, double lat, double lon, double accuracy, double speed, double heading)
            implements Sample {
    }
}
