package io.edgeagent.ingest;

import io.edgeagent.config.BrokerConfig;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.mqtt.MqttOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the configured topic filters with a persistent session and hands every message, with a deferred
 * acknowledgement, to the {@link MessageSink} through a {@link HandOff} that blocks Paho's receiver for a short bound at most.
 * Acknowledgements are manual: the broker forgets a QoS 1 message only when the pipeline has made it durable and
 * runs the acknowledgement.
 */
public final class MqttIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);
    /** Subscription granted-QoS value that means "refused" (MQTT 3.1.1, 3.9.3). */
    private static final int SUBSCRIPTION_FAILED = 0x80;
    private static final Duration MAX_HAND_OFF_WAIT = Duration.ofSeconds(1);

    private final MqttConnection connection;
    private final HandOff handOff;

    public MqttIngest(BrokerConfig broker, List<String> topicFilters, MessageSink sink) {
        String[] filters = topicFilters.toArray(new String[0]);
        int[] qos = new int[filters.length];
        Arrays.fill(qos, broker.qos());
        Duration timeout = broker.connectTimeout();
        this.handOff = new HandOff(sink, handOffWait(broker.keepAlive()), this::acknowledge, this::renew);
        this.connection = new MqttConnection("ingest", broker.url(), broker.clientId(),
                MqttOptions.build(broker.url(), broker.username(), broker.password(), broker.tls(), broker.keepAlive(),
                        broker.connectTimeout(), broker.maxInflight(), false),
                broker.reconnectMin(), broker.reconnectMax(), timeout, true, new MqttConnection.Listener() {
                    @Override
                    public void connected(MqttAsyncClient client) throws MqttException {
                        subscribe(client, filters, qos, timeout);
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message, long generation) {
                        handOff.arrived(topic, message, generation);
                    }
                });
    }

    /** A quarter of the keep-alive, at most a second: Paho's receiver can wait that long and still answer pings. */
    static Duration handOffWait(Duration keepAlive) {
        Duration quarter = keepAlive.dividedBy(4);
        return quarter.compareTo(MAX_HAND_OFF_WAIT) < 0 ? quarter : MAX_HAND_OFF_WAIT;
    }

    private boolean acknowledge(int messageId, int qos, long generation) {
        return connection.acknowledge(messageId, qos, generation);
    }

    private void renew(long generation, String reason) {
        connection.renew(generation, reason);
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

    /** Every message that arrived, refused ones and redeliveries included. */
    public long received() {
        return handOff.received();
    }

    /** Refused because the hand-off was full; QoS 1 ones come again on the next connection. */
    public long refused() {
        return handOff.refused();
    }

    /** Refused QoS 0 messages: QoS 0 is never redelivered, so these are lost. */
    public long lostQos0() {
        return handOff.lostQos0();
    }

    /** Times the hand-off was full and ingest paused. */
    public long pauses() {
        return handOff.pauses();
    }

    /** Messages the broker marked as sent before (DUP): redeliveries after a pause or a lost connection. */
    public long redelivered() {
        return handOff.redelivered();
    }

    /**
     * Messages stored whose acknowledgement found their connection gone: the broker sends each again, so each is
     * stored twice (with the same event id). The bound on duplicates.
     */
    public long unacknowledged() {
        return handOff.unacknowledged();
    }

    /** Topics that MQTT forbids or discourages, which a conformant broker never delivers; passed on, counted. */
    public long badTopics() {
        return handOff.badTopics();
    }

    /** Exceptions from the transport (Paho's threads, the connector); each replaced the connection. */
    public long transportFailures() {
        return connection.failures();
    }

    /** Connections lost soon after connecting, in a series: probably another client with the same client id. */
    public long suspectedTakeovers() {
        return connection.suspectedTakeovers();
    }

    /** Connections renewed after a pause. */
    public long renewals() {
        return connection.renewals();
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
