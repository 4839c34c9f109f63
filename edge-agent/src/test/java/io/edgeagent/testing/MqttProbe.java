package io.edgeagent.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A real Paho client for tests: publishes readings and records what arrives on its subscriptions. */
public final class MqttProbe implements AutoCloseable {

    /** One received message. */
    public record Received(String topic, String payload) {
    }

    private static final int ATTEMPTS = 3;

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** Connects and subscribes, again if the embedded broker drops the subscription (see {@link #subscribed}). */
    public MqttProbe(String url, String... subscriptions) throws MqttException {
        client = subscribed(() -> new MqttClient(url, "probe-" + UUID.randomUUID(), new MemoryPersistence()),
                candidate -> connect(candidate, subscriptions));
    }

    /** Makes a client. */
    @FunctionalInterface
    public interface NewClient<C> {
        C create() throws MqttException;
    }

    /** Connects a client and subscribes it. */
    @FunctionalInterface
    public interface Setup<C> {
        void run(C client) throws MqttException;
    }

    /**
     * A client of {@code newClient}, connected and subscribed by {@code setup}, with a fresh client up to 3 times
     * when the connection is lost meanwhile. The embedded broker (Moquette) marks a connection as connected only
     * after its CONNACK has been written, so on a loaded machine a SUBSCRIBE sent at once can find it "already
     * closed" and the broker drops the connection ("SUBSCRIBE received on already closed connection"). For every test
     * client that subscribes on that broker.
     */
    public static <C extends AutoCloseable> C subscribed(NewClient<C> newClient, Setup<C> setup) throws MqttException {
        for (int attempt = 1; ; attempt++) {
            C candidate = newClient.create();
            try {
                setup.run(candidate);
                return candidate;
            } catch (MqttException e) {
                try {
                    candidate.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                if (attempt == ATTEMPTS || e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST) {
                    throw e;
                }
            }
        }
    }

    private void connect(MqttClient candidate, String... subscriptions) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        candidate.connect(options);
        for (String filter : subscriptions) {
            candidate.subscribe(filter, 1, (topic, message) ->
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8))));
        }
    }

    public void publish(String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message);
    }

    public List<Received> received() {
        return received;
    }

    public List<Received> receivedOn(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close();
    }
}
