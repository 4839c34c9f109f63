package io.edgeagent.config;

import java.time.Duration;

/**
 * The MQTT broker the agent subscribes to. The client id must be stable: the broker keeps the persistent session, and
 * with it every unacknowledged QoS 1 message, under that id.
 */
public record BrokerConfig(String url, String clientId, String username, String password, TlsConfig tls, Integer qos,
                           Duration keepAlive, Duration connectTimeout, Duration reconnectMin, Duration reconnectMax,
                           Integer maxInflight) implements Section {

    static final Field<String> URL = Field.of("url", "tcp://127.0.0.1:1883", Check.mqttUrl());
    static final Field<String> CLIENT_ID = Field.of("clientId", "edge-agent",
            Check.notBlank("expected a non-empty, stable client id"));
    static final Field<String> USERNAME = Field.of("username", null);
    static final Field<String> PASSWORD = Field.of("password", null);
    static final Field<TlsConfig> TLS = Field.of("tls", TlsConfig.NONE);
    static final Field<Integer> QOS = Field.of("qos", 1, Check.that(q -> q == 0 || q == 1,
            "expected 0 or 1 (QoS 2 is not supported: Paho acknowledges it before the event is stored)"));
    static final Field<Duration> KEEP_ALIVE = Field.of("keepAlive", Duration.ofSeconds(30),
            Check.atLeast(Duration.ofSeconds(1)));
    static final Field<Duration> CONNECT_TIMEOUT = Field.of("connectTimeout", Duration.ofSeconds(10),
            Check.atLeast(Duration.ofMillis(100)));
    static final Field<Duration> RECONNECT_MIN = Field.of("reconnectMin", Duration.ofSeconds(1),
            Check.atLeast(Duration.ofMillis(10)));
    static final Field<Duration> RECONNECT_MAX = Field.of("reconnectMax", Duration.ofSeconds(60));
    static final Field<Integer> MAX_INFLIGHT = Field.of("maxInflight", 1000, Check.range(1, 65_535));

    public BrokerConfig {
        url = URL.or(url);
        clientId = CLIENT_ID.or(clientId);
        username = blankToNull(username);
        password = blankToNull(password);
        tls = TLS.or(tls);
        qos = QOS.or(qos);
        keepAlive = KEEP_ALIVE.or(keepAlive);
        connectTimeout = CONNECT_TIMEOUT.or(connectTimeout);
        reconnectMin = RECONNECT_MIN.or(reconnectMin);
        reconnectMax = RECONNECT_MAX.or(reconnectMax);
        maxInflight = MAX_INFLIGHT.or(maxInflight);
    }

    @Override
    public void validate(Validation here) {
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            here.problem(RECONNECT_MAX.name(), Durations.format(reconnectMax), "expected at least broker.reconnectMin ("
                    + Durations.format(reconnectMin) + ")");
        }
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
