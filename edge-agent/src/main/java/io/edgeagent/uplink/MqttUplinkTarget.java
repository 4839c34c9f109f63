package io.edgeagent.uplink;

import io.edgeagent.config.UplinkConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.mqtt.MqttOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Publishes batches to an upstream broker with QoS 1 over its own {@link MqttConnection} (TLS, client certificate,
 * credentials, reconnect with backoff). A send returns when the broker's PUBACK arrived.
 *
 * <p>The topic template may use {@code {clientId}}, {@code {deviceId}} and {@code {kind}}. With the last two a batch
 * is split into one message per resulting topic (in seq order within each), published one after the other; if any
 * is not acknowledged the whole batch is retried, and the messages already delivered arrive again with the same
 * batch key and event ids.
 */
public final class MqttUplinkTarget implements UplinkTarget {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    /** Upload batches go one at a time; a small window is plenty and bounds Paho's memory. */
    private static final int MAX_INFLIGHT = 10;

    private final String agent;
    private final String topic;
    private final boolean perEvent;
    private final boolean gzip;
    private final MqttConnection connection;

    public MqttUplinkTarget(UplinkConfig config) {
        this.agent = config.clientId();
        this.topic = config.topic().replace("{clientId}", sanitize(config.clientId()));
        this.perEvent = topic.contains("{deviceId}") || topic.contains("{kind}");
        this.gzip = config.gzip();
        // A clean session: the uplink only publishes, and an unconfirmed batch is resent from the buffer anyway.
        this.connection = new MqttConnection("uplink", config.url(), config.clientId(),
                MqttOptions.build(config.url(), config.username(), config.password(), config.tls(), KEEP_ALIVE, config.timeout(),
                        MAX_INFLIGHT, true),
                config.retryMin(), config.retryMax(), config.timeout(), false, new MqttConnection.Listener() { });
    }

    @Override
    public void start() {
        connection.start();
    }

    @Override
    public long send(UplinkBatch batch) throws UplinkException {
        if (connection.state() != ConnectionState.CONNECTED) {
            String error = connection.lastError();
            throw new UplinkException("not connected to " + describe() + (error.isEmpty() ? "" : " (" + error + ")"));
        }
        long bytes = 0;
        for (Map.Entry<String, UplinkBatch> message : split(batch).entrySet()) {
            byte[] json = UplinkWire.encode(agent, message.getValue());
            byte[] payload = gzip ? UplinkWire.gzip(json) : json;
            bytes += payload.length;
            try {
                connection.publish(message.getKey(), payload, 1, false);
            } catch (MqttException e) {
                throw new UplinkException("publishing " + message.getValue().size() + " events to " + message.getKey()
                        + " on " + describe() + " was not acknowledged: " + e.getMessage(), e);
            }
        }
        return bytes;
    }

    private Map<String, UplinkBatch> split(UplinkBatch batch) {
        if (!perEvent) {
            return Map.of(topic, batch);
        }
        Map<String, List<BufferedEvent>> byTopic = new LinkedHashMap<>();
        for (BufferedEvent event : batch.events()) {
            String resolved = topic.replace("{deviceId}", sanitize(event.deviceId())).replace("{kind}", event.kind());
            byTopic.computeIfAbsent(resolved, t -> new ArrayList<>()).add(event);
        }
        Map<String, UplinkBatch> messages = new LinkedHashMap<>();
        byTopic.forEach((t, events) -> messages.put(t, UplinkBatch.of(events, batch.backlog())));
        return messages;
    }

    /** A device id must not add topic levels or wildcards to the topic it is published on. */
    static String sanitize(String segment) {
        return segment.replace('/', '_').replace('+', '_').replace('#', '_');
    }

    @Override
    public String describe() {
        return "mqtt " + Uplink.withoutCredentials(connection.url());
    }

    @Override
    public boolean connected() {
        return connection.state() == ConnectionState.CONNECTED;
    }

    @Override
    public void close() {
        connection.close(Duration.ofSeconds(1));
    }
}
