package io.edgeagent.actions;

import io.edgeagent.config.BrokerConfig;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.mqtt.MqttOptions;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes commands on a link of its own ({@code <clientId>-actions}, clean session), so a burst of commands never
 * queues behind the ingest subscription and vice versa. The same link carries the acknowledgements that workflow
 * steps {@code await}: topics are subscribed on demand while a step waits (see {@link AckWaiter}) and again after a
 * reconnect.
 */
public final class MqttCommandPublisher implements CommandPublisher, AckSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttCommandPublisher.class);

    private final MqttConnection connection;
    private final Duration operationTimeout;
    private final AckWaiter acks;
    private volatile MqttAsyncClient client;

    public MqttCommandPublisher(BrokerConfig broker) {
        this.operationTimeout = broker.connectTimeout();
        this.acks = new AckWaiter(new AckWaiter.Subscriptions() {
            @Override
            public void subscribe(String topic) throws Exception {
                MqttAsyncClient c = client;
                if (c == null || !c.isConnected()) {
                    throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
                }
                c.subscribe(topic, 1).waitForCompletion(operationTimeout.toMillis());
            }

            @Override
            public void unsubscribe(String topic) {
                MqttAsyncClient c = client;
                try {
                    if (c != null && c.isConnected()) {
                        c.unsubscribe(topic);
                    }
                } catch (MqttException e) {
                    LOG.debug("Cannot unsubscribe acknowledgement topic {}: {}", topic, e.getMessage());
                }
            }
        });
        this.connection = new MqttConnection("actions", broker.url(), broker.clientId() + "-actions",
                MqttOptions.build(broker.url(), broker.username(), broker.password(), broker.tls(), broker.keepAlive(),
                        broker.connectTimeout(), broker.maxInflight(), true),
                broker.reconnectMin(), broker.reconnectMax(), broker.connectTimeout(), false,
                new MqttConnection.Listener() {
                    @Override
                    public void connected(MqttAsyncClient connected) throws MqttException {
                        client = connected;
                        for (String topic : acks.topics()) {
                            connected.subscribe(topic, 1).waitForCompletion(operationTimeout.toMillis());
                        }
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message, long generation) {
                        acks.deliver(topic, message.getPayload(), message.isRetained());
                    }
                });
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
    public Expectation expect(String topic, String contains) throws Exception {
        return acks.expect(topic, contains);
    }

    @Override
    public void close() {
        connection.close(Duration.ofSeconds(1));
    }
}
