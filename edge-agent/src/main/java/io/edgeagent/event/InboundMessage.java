package io.edgeagent.event;

/**
 * An MQTT message as it came off the broker, before decoding.
 *
 * <p>{@link #acknowledgement()} must be run exactly once, after whatever the message produced is durable, and in
 * the order the messages arrived: the broker forgets a QoS 1 message only when it is acknowledged, so an agent that
 * crashes before acknowledging gets the message again.
 */
public record InboundMessage(String topic, byte[] payload, long receivedTime, Runnable acknowledgement) {
}
