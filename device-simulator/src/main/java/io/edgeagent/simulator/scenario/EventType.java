package io.edgeagent.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;

/** Something that happens to a device during a scenario. */
public enum EventType {
    /** Sensors: the level moves linearly to {@code value} between {@code at} and {@code until}, then stays there. */
    RAMP(true, true, EnumSet.of(DeviceKind.TEMPERATURE, DeviceKind.HUMIDITY)),
    /** Sensors: the level jumps to {@code value} at {@code at} and returns to where it was at {@code until}. */
    SPIKE(true, true, EnumSet.of(DeviceKind.TEMPERATURE, DeviceKind.HUMIDITY)),
    /** Trackers: drive at {@code value} m/s from {@code at} on. */
    SPEED(false, true, EnumSet.of(DeviceKind.TRACKER)),
    /** Trackers: stand still between {@code at} and {@code until}. */
    STOP(true, false, EnumSet.of(DeviceKind.TRACKER)),
    /** Doors: open between {@code at} and {@code until}. */
    OPEN(true, false, EnumSet.of(DeviceKind.DOOR)),
    /** Any device: publishes nothing between {@code at} and {@code until}, then resumes (a reconnect). */
    SILENT(true, false, EnumSet.allOf(DeviceKind.class)),
    /** Any device: its first message at or after {@code at} is broken in the way {@code payload} names. */
    MALFORMED(false, false, EnumSet.allOf(DeviceKind.class)),
    /** Any device: its first message at or after {@code at} is published twice, byte for byte. */
    DUPLICATE(false, false, EnumSet.allOf(DeviceKind.class)),
    /** Any device: its first message at or after {@code at} is held back and published after the next one. */
    OUT_OF_ORDER(false, false, EnumSet.allOf(DeviceKind.class));

    private final boolean needsUntil;
    private final boolean needsValue;
    private final Set<DeviceKind> appliesTo;

    EventType(boolean needsUntil, boolean needsValue, Set<DeviceKind> appliesTo) {
        this.needsUntil = needsUntil;
        this.needsValue = needsValue;
        this.appliesTo = appliesTo;
    }

    public boolean needsUntil() {
        return needsUntil;
    }

    public boolean needsValue() {
        return needsValue;
    }

    public boolean appliesTo(DeviceKind kind) {
        return appliesTo.contains(kind);
    }

    @JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @JsonCreator
    public static EventType fromYaml(String text) {
        return YamlNames.parse(EventType.class, text, "event type");
    }
}
