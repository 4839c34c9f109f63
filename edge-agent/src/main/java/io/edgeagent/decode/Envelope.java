package io.edgeagent.decode;

import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.FieldSource;

/**
 * What every decoded event has whatever its type: its id, device, event time and topic, read the same way for
 * readings, locations and declared types.
 */
record Envelope(String id, String deviceId, long eventTime, String topic) {

    /**
     * A payload without an id gets one derived from the message (stable across redeliveries when it carries a
     * timestamp); device ids and topics repeat across events that rule windows retain, so they are shared.
     */
    static Envelope read(Fields f, FieldSource id, FieldSource deviceId, FieldSource timestamp, String topic,
                         byte[] payload, long receivedTime, EventTimeWindow window) throws DecodeException {
        String idField = f.text("id", id);
        String device = Canonical.of(f.requiredText("deviceId", deviceId));
        long eventTime = f.time("timestamp", timestamp, receivedTime, window);
        boolean timestamped = f.text("timestamp", timestamp) != null;
        String eventId = idField != null && !idField.isEmpty() ? idField : EventIds.of(topic, payload, 0, timestamped);
        return new Envelope(eventId, device, eventTime, Canonical.of(topic));
    }
}
