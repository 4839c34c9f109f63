package io.edgeagent.actions;

import io.edgeagent.config.BrokerConfig;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.mqtt.MqttOptions;
import java.time.Duration;

/**
 * Publishes commands on a link of its own ({@code <clientId>-actions}, clean session), so a burst of commands never
 * queues behind the ingest subscription and vice versa.
 */
public final class MqttCommandPublisher implements CommandPublisher, AutoCloseable {

    private final MqttConnection connection;

    public MqttCommandPublisher(BrokerConfig broker) {
        this.connection = new MqttConnection("actions", broker.url(), broker.clientId() + "-actions",
                MqttOptions.build(broker.username(), broker.password(), broker.tls(), broker.keepAlive(),
                        broker.connectTimeout(), broker.maxInflight(), true),
                broker.reconnectMin(), broker.reconnectMax(), broker.connectTimeout(), false,
                new MqttConnection.Listener() { });
    }

    public void start() {
        connection.start();
    }

    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connection.awaitConnected(timeout);
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) throws Exception {
        connection.publish(topic, payload, qos, retain);
    }

    @Override
    public void close() {
        connection.close(Duration.ofSeconds(1));
    }
}
