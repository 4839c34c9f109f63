package io.edgeagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where buffered events are uploaded. {@code type} is {@code mqtt} (an upstream broker; {@code topic} may use
 * {@code {clientId}}, {@code {deviceId}} and {@code {kind}}) or {@code http} (POST of JSON batches with an
 * {@code Idempotency-Key} header). Batches are deleted from the buffer only after the target confirmed them.
 * {@code backlogShare} is the part of each drain cycle given to the oldest events when there is a backlog, so fresh
 * events are not stuck behind a day of history. {@code successCodes} are the HTTP statuses that confirm a batch.
 */
public record UplinkConfig(Boolean enabled, String type, String url, String topic, String clientId, String username,
                           String password, TlsConfig tls, Map<String, String> headers, Integer batchSize,
                           Boolean gzip, Duration timeout, Duration retryMin, Duration retryMax, Double backlogShare,
                           List<Integer> successCodes, KafkaUplinkConfig kafka) {

    public static final String TYPE_MQTT = "mqtt";
    public static final String TYPE_HTTP = "http";
    public static final String TYPE_KAFKA = "kafka";
    public static final String DEFAULT_TOPIC = "edge/{clientId}/events";
    public static final String DEFAULT_CLIENT_ID = "edge-agent-uplink";
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(2);
    public static final double DEFAULT_BACKLOG_SHARE = 0.5;
    public static final List<Integer> DEFAULT_SUCCESS_CODES = List.of(200, 201, 202, 204);

    public UplinkConfig {
        enabled = enabled == null ? Boolean.FALSE : enabled;
        type = type == null ? TYPE_MQTT : type;
        url = BrokerConfig.blankToNull(url);
        topic = topic == null ? DEFAULT_TOPIC : topic;
        clientId = clientId == null ? DEFAULT_CLIENT_ID : clientId;
        username = BrokerConfig.blankToNull(username);
        password = BrokerConfig.blankToNull(password);
        tls = tls == null ? TlsConfig.NONE : tls;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        batchSize = batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
        gzip = gzip == null ? Boolean.FALSE : gzip;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        retryMin = retryMin == null ? DEFAULT_RETRY_MIN : retryMin;
        retryMax = retryMax == null ? DEFAULT_RETRY_MAX : retryMax;
        backlogShare = backlogShare == null ? DEFAULT_BACKLOG_SHARE : backlogShare;
        // Not List.copyOf: a null entry must reach the validator as a problem, not fail binding with an NPE.
        successCodes = successCodes == null ? DEFAULT_SUCCESS_CODES
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(successCodes));
        kafka = kafka == null ? KafkaUplinkConfig.defaults() : kafka;
    }

    /** An MQTT or HTTP uplink (no Kafka settings). */
    public UplinkConfig(Boolean enabled, String type, String url, String topic, String clientId, String username,
                        String password, TlsConfig tls, Map<String, String> headers, Integer batchSize, Boolean gzip,
                        Duration timeout, Duration retryMin, Duration retryMax, Double backlogShare,
                        List<Integer> successCodes) {
        this(enabled, type, url, topic, clientId, username, password, tls, headers, batchSize, gzip, timeout, retryMin,
                retryMax, backlogShare, successCodes, null);
    }

    public static UplinkConfig disabled() {
        return new UplinkConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    UplinkConfig resolve(Path base) {
        return new UplinkConfig(enabled, type, url, topic, clientId, username, password, tls.resolve(base), headers,
                batchSize, gzip, timeout, retryMin, retryMax, backlogShare, successCodes, kafka);
    }

    /** Never prints the password or header values (they often hold tokens). */
    @Override
    public String toString() {
        return "UplinkConfig[enabled=" + enabled + ", type=" + type + ", url=" + url + ", topic=" + topic
                + ", password=" + (password == null ? "none" : "***") + ", headers=" + headers.keySet() + ", kafka=" + kafka + "]";
    }
}
