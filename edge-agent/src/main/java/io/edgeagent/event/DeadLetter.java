package io.edgeagent.event;

/** A message that could not be turned into events, kept with the reason so that nothing is dropped silently. */
public record DeadLetter(String topic, byte[] payload, String reason, long receivedTime) {
}
