package io.edgeagent.simulator.testing;

import java.nio.charset.StandardCharsets;

/** A message as a subscriber received it. */
public record Received(String topic, String payload) {

    public static Received of(String topic, byte[] payload) {
        return new Received(topic, new String(payload, StandardCharsets.UTF_8));
    }
}
