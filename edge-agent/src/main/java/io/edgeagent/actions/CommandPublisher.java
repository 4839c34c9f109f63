package io.edgeagent.actions;

/** Sends an actuator command. Blocks until the broker confirmed it or a timeout passed. */
@FunctionalInterface
public interface CommandPublisher {

    void publish(String topic, byte[] payload, int qos, boolean retain) throws Exception;
}
