package io.edgeagent.config;

import java.time.Duration;

/**
 * The MQTT broker the agent subscribes to. The client id must be stable: the broker keeps the persistent session, and
 * with it every unacknowledged QoS 1 message, under that id.
 */
public record BrokerConfig(String url, String clientId, String username, String password, TlsConfig tls, Integer qos,
                           Duration keepAlive, Duration connectTimeout, Duration reconnectMin, Duration reconnectMax,
                           Integer maxInflight) {

    public static final String DEFAULT_URL = "tcp://127.0.0.1:1883";
    public static final String DEFAULT_CLIENT_ID = "edge-agent";
    public static final int DEFAULT_QOS = 1;
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_INFLIGHT = 1000;

    public BrokerConfig {
        url = url == null ? DEFAULT_URL : url;
        clientId = clientId == null ? DEFAULT_CLIENT_ID : clientId;
        username = blankToNull(username);
        password = blankToNull(password);
        tls = tls == null ? TlsConfig.NONE : tls;
        qos = qos == null ? DEFAULT_QOS : qos;
        keepAlive = keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        reconnectMin = reconnectMin == null ? DEFAULT_RECONNECT_MIN : reconnectMin;
        reconnectMax = reconnectMax == null ? DEFAULT_RECONNECT_MAX : reconnectMax;
        maxInflight = maxInflight == null ? DEFAULT_MAX_INFLIGHT : maxInflight;
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    public BrokerConfig withUrl(String newUrl) {
        return new BrokerConfig(newUrl, clientId, username, password, tls, qos, keepAlive, connectTimeout,
                reconnectMin, reconnectMax, maxInflight);
    }

    public BrokerConfig withClientId(String newClientId) {
        return new BrokerConfig(url, newClientId, username, password, tls, qos, keepAlive, connectTimeout,
                reconnectMin, reconnectMax, maxInflight);
    }

    BrokerConfig resolve(java.nio.file.Path base) {
        return new BrokerConfig(url, clientId, username, password, tls.resolve(base), qos, keepAlive, connectTimeout,
                reconnectMin, reconnectMax, maxInflight);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Never prints the password: records' generated toString would, and configs end up in logs. */
    @Override
    public String toString() {
        return "BrokerConfig[url=" + url + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", tls=" + tls + ", qos=" + qos + "]";
    }
}
