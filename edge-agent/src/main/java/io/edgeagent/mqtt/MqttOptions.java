package io.edgeagent.mqtt;

import io.edgeagent.config.TlsConfig;
import io.edgeagent.tls.PemTls;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/** Paho connect options built the same way for every MQTT link: credentials, TLS, timeouts, in-flight window. */
public final class MqttOptions {

    private MqttOptions() {
    }

    /**
     * Whether {@link #build} gives connections to {@code url} the agent's plain sockets ({@link BufferedSocketFactory});
     * TLS and WebSocket links keep the JDK's sockets.
     */
    public static boolean plainSockets(String url, TlsConfig tls) {
        return url.startsWith("tcp://") && !tls.namesFiles();
    }

    /** Whether connections to {@code url} acknowledge sparse input at once: plain sockets on Linux. */
    public static boolean quickAcknowledgements(String url, TlsConfig tls) {
        return plainSockets(url, tls) && BufferedSocketFactory.QUICK_ACKS;
    }

    /**
     * @param url the broker's URL: a plain {@code tcp://} link gets a buffered socket, TLS the configured context
     * @param cleanSession false for subscriptions that must survive restarts (the broker queues QoS 1 messages for
     *                     us while we are away); true for publish-only links
     */
    public static MqttConnectOptions build(String url, String username, String password, TlsConfig tls,
                                           Duration keepAlive, Duration connectTimeout, int maxInflight,
                                           boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setKeepAliveInterval((int) Math.max(1, keepAlive.toSeconds()));
        options.setConnectionTimeout((int) Math.max(1, connectTimeout.toSeconds()));
        options.setMaxInflight(maxInflight);
        // Reconnection is ours: Paho's own never retries a failed first connect and does not resubscribe.
        options.setAutomaticReconnect(false);
        if (username != null) {
            options.setUserName(username);
        }
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        if (plainSockets(url, tls)) {
            // Paho reads each packet in small pieces; over plain TCP a buffer saves system calls per message.
            options.setSocketFactory(BufferedSocketFactory.INSTANCE);
        } else if (tls.namesFiles()) {
            options.setSocketFactory(PemTls.context(tls).getSocketFactory());
        }
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        return options;
    }
}
