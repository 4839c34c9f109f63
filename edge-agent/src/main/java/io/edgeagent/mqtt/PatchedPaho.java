package io.edgeagent.mqtt;

import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;

/**
 * The agent carries its own copy of Paho's {@code MqttWireMessage} (under the EDL 1.0, see THIRD-PARTY.md): Paho
 * 1.2.5 refuses every character outside the BMP in a received topic, by an exception that ends its receiver thread.
 * The copy wins because the agent's classes come before the Paho jar on every class path (the jar's own entry comes
 * first with {@code java -jar}, and {@code target/classes} comes first in Maven's). {@link #verify} makes any other
 * order fail at start with a message that says so, instead of failing on the first such topic.
 */
public final class PatchedPaho {

    private PatchedPaho() {
    }

    /** Fails unless the patched {@code MqttWireMessage} is the one loaded. */
    static void verify() {
        try {
            MqttWireMessage.class.getMethod("findUtf8Problem", CharSequence.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Paho's own MqttWireMessage was loaded from "
                    + location(MqttWireMessage.class) + " instead of edge-agent's patched copy in "
                    + location(PatchedPaho.class) + ": the agent's jar must come before the Paho jar on the class path");
        }
    }

    /** Where {@code type} was loaded from (a jar or a classes directory). */
    public static String location(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null ? "the boot class path" : source.getLocation().toString();
    }

    /**
     * The first character of a topic that MQTT forbids or discourages, with its index, or null: a conformant broker
     * never delivers such a topic, so one that arrives says something about the broker.
     */
    public static String topicProblem(String topic) {
        return MqttWireMessage.findUtf8Problem(topic);
    }
}
