package io.edgeagent.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a simulated device is; decides the reading it publishes and which events apply to it. */
public enum DeviceKind {
    /** Publishes {@code temperature} readings in C. */
    TEMPERATURE("temperature", "C"),
    /** Publishes {@code humidity} readings in %. */
    HUMIDITY("humidity", "%"),
    /** A door contact: publishes {@code door} readings, 1 = open, 0 = closed. */
    DOOR("door", null),
    /** A GPS tracker: publishes locations while following a route. */
    TRACKER(null, null);

    private final String readingType;
    private final String unit;

    DeviceKind(String readingType, String unit) {
        this.readingType = readingType;
        this.unit = unit;
    }

    /** The reading's {@code type} field, or null for trackers, which publish locations. */
    public String readingType() {
        return readingType;
    }

    /** The reading's unit, or null when it has none. */
    public String unit() {
        return unit;
    }

    @JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @JsonCreator
    public static DeviceKind fromYaml(String text) {
        return YamlNames.parse(DeviceKind.class, text, "device kind");
    }
}
