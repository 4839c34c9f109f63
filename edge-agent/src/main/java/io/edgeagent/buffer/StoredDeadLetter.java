package io.edgeagent.buffer;

/** A dead-lettered payload as stored: when, from which topic, why, and the (possibly truncated) payload bytes. */
public record StoredDeadLetter(long seq, long receivedTime, String topic, String reason, byte[] payload) {
}
