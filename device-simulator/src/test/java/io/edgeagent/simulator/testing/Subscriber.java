package io.edgeagent.simulator.testing;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A real MQTT client subscribed to {@code #} that keeps every message it receives, in arrival order. */
public final class Subscriber implements AutoCloseable {

    private final MqttClient client;
    private final List<Received> messages = new ArrayList<>();

    public Subscriber(String brokerUri, int qos) throws MqttException {
        client = new MqttClient(brokerUri, "test-subscriber", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(5);
        client.setTimeToWait(5_000);
        client.connect(options);
        client.subscribe("#", qos, (topic, message) -> {
            synchronized (messages) {
                messages.add(Received.of(topic, message.getPayload()));
            }
        });
    }

    public List<Received> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    public int count() {
        synchronized (messages) {
            return messages.size();
        }
    }

    @Override
    public void close() throws MqttException {
        client.disconnect(2_000);
        client.close();
    }
}
