package io.edgeagent.mqtt;

import java.util.List;
import org.eclipse.paho.client.mqttv3.internal.CommsCallback;
import org.eclipse.paho.client.mqttv3.internal.CommsReceiver;
import org.eclipse.paho.client.mqttv3.internal.CommsSender;
import org.eclipse.paho.client.mqttv3.internal.Token;
import org.eclipse.paho.client.mqttv3.internal.wire.CountingInputStream;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;

/**
 * The agent carries its own copies of six Paho classes (under the EDL 1.0, see THIRD-PARTY.md):
 * <ul>
 *   <li>{@code MqttWireMessage}: Paho 1.2.5 refuses every character outside the BMP in a received topic, by an
 *       exception that ends its receiver thread;</li>
 *   <li>{@code CommsReceiver}, {@code CommsSender} and {@code CommsCallback}: each started its thread and then polled
 *       every 100 ms until it ran, so that every connect took over 300 ms (a restart, a renewal after a pause, each
 *       reconnect after the broker came back); they now wait on the monitor the thread notifies. The sender also
 *       writes a run of acknowledgements in one go, and with manual acknowledgements (ingest) the callback hands
 *       each message to the listener on the receiver's thread, without its queue and thread in between;</li>
 *   <li>{@code CountingInputStream}: it copied every received packet one byte per call;</li>
 *   <li>{@code Token}: it made a logger, reflectively, for every acknowledgement and every publish.</li>
 * </ul>
 * The copies win because the agent's classes come before the Paho jar on every class path (the jar's own entry comes
 * first with {@code java -jar}, and {@code target/classes} comes first in Maven's). {@link #verify} makes any other
 * order fail at start with a message that says so.
 */
public final class PatchedPaho {

    /** Paho's classes that the agent replaces with its own copies. */
    static final List<Class<?>> PATCHED =
            List.of(MqttWireMessage.class, CommsReceiver.class, CommsSender.class, CommsCallback.class,
                    CountingInputStream.class, Token.class);

    private PatchedPaho() {
    }

    /** Fails unless every patched class is loaded from where the agent's own classes are. */
    static void verify() {
        String own = location(PatchedPaho.class);
        for (Class<?> type : PATCHED) {
            if (!location(type).equals(own)) {
                throw new IllegalStateException("Paho's own " + type.getSimpleName() + " was loaded from "
                        + location(type) + " instead of edge-agent's patched copy in " + own
                        + ": the agent's jar must come before the Paho jar on the class path");
            }
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
