package io.edgeagent.buffer;

/** One row of the outbox: its position in upload order, the event id and the JSON body to upload. */
public record BufferedEvent(long seq, String id, String kind, String deviceId, long eventTime, String body) {
}
