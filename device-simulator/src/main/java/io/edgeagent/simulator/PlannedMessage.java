package io.edgeagent.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message of a simulation, in the order the simulator publishes it.
 *
 * @param offset   when it is published, from the start of the run (the device's schedule; in max-rate mode the
 *                 simulator publishes in this order without waiting)
 * @param deviceId the device that publishes it
 * @param topic    the MQTT topic
 * @param payload  the payload bytes (do not modify)
 * @param kind     whether it is a normal message or an injected fault
 */
public record PlannedMessage(Duration offset, String deviceId, String topic, byte[] payload,
                             MessageKind kind) {

    /** The payload as UTF-8 text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Equal when every component is, comparing payloads by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedMessage m && offset.equals(m.offset) && deviceId.equals(m.deviceId)
                && topic.equals(m.topic) && Arrays.equals(payload, m.payload) && kind == m.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, deviceId, topic, Arrays.hashCode(payload), kind);
    }

    @Override
    public String toString() {
        return "+" + Durations.format(offset) + " " + kind + " " + topic + " " + payloadText();
    }
}
