package io.edgeagent.event;

/** One row of the outbox, as the buffer hands it to the uplink: its position in upload order, the event id and the JSON body. */
public record BufferedEvent(long seq, String id, String kind, String deviceId, long eventTime, String body) {
}
