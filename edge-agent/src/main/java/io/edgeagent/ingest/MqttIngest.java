package io.edgeagent.ingest;

import io.edgeagent.config.BrokerConfig;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.mqtt.MqttOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the configured topic filters with a persistent session and hands every message, with a deferred
 * acknowledgement, to the {@link MessageSink}. Acknowledgements are manual: the broker forgets a QoS 1 message only
 * when the pipeline has made it durable and runs the acknowledgement.
 */
public final class MqttIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    /** Subscription granted-QoS value that means "refused" (MQTT 3.1.1, 3.9.3). */
    private static final int SUBSCRIPTION_FAILED = 0x80;

    private final MqttConnection connection;
    private final AtomicLong received = new AtomicLong();

    public MqttIngest(BrokerConfig broker, List<String> topicFilters, MessageSink sink) {
        String[] filters = topicFilters.toArray(new String[0]);
        int[] qos = new int[filters.length];
        Arrays.fill(qos, broker.qos());
        Duration timeout = broker.connectTimeout();
        this.connection = new MqttConnection("ingest", broker.url(), broker.clientId(),
                MqttOptions.build(broker.url(), broker.username(), broker.password(), broker.tls(), broker.keepAlive(),
                        broker.connectTimeout(), broker.maxInflight(), false),
                broker.reconnectMin(), broker.reconnectMax(), timeout, true, new MqttConnection.Listener() {
                    @Override
                    public void connected(MqttAsyncClient client) throws MqttException {
                        subscribe(client, filters, qos, timeout);
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message, long generation)
                            throws InterruptedException {
                        received.incrementAndGet();
                        int id = message.getId();
                        int messageQos = message.getQos();
                        sink.accept(new InboundMessage(topic, message.getPayload(), System.currentTimeMillis(),
                                () -> connection.acknowledge(id, messageQos, generation)));
                    }
                });
    }

    private static void subscribe(MqttAsyncClient client, String[] filters, int[] qos, Duration timeout)
            throws MqttException {
        IMqttToken token = client.subscribe(filters, qos);
        token.waitForCompletion(timeout.toMillis());
        int[] granted = token.getGrantedQos();
        for (int i = 0; i < granted.length && i < filters.length; i++) {
            if (granted[i] == SUBSCRIPTION_FAILED) {
                LOG.error("The broker refused the subscription to {}; check its ACLs for this client.", filters[i]);
            } else if (granted[i] < qos[i]) {
                LOG.warn("The broker granted QoS {} instead of {} for {}; messages there are not redelivered after a crash.",
                        granted[i], qos[i], filters[i]);
            }
        }
        LOG.info("Subscribed to {}.", String.join(", ", filters));
    }

    public void start() {
        connection.start();
    }

    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connection.awaitConnected(timeout);
    }

    public ConnectionState state() {
        return connection.state();
    }

    public String lastError() {
        return connection.lastError();
    }

    public long received() {
        return received.get();
    }

    /** Stops taking messages; the broker keeps queueing them in our persistent session until the next start. */
    public void close(Duration quiesce) {
        connection.close(quiesce);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
