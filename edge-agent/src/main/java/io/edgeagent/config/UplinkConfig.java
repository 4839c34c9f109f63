package io.edgeagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where buffered events are uploaded. {@code type} is {@code mqtt} (an upstream broker; {@code topic} may use
 * {@code {clientId}}, {@code {deviceId}} and {@code {kind}}) or {@code http} (POST of JSON batches with an
 * {@code Idempotency-Key} header). Batches are deleted from the buffer only after the target confirmed them.
 * {@code backlogShare} is the part of each drain cycle given to the oldest events when there is a backlog, so fresh
 * events are not stuck behind a day of history. {@code successCodes} are the HTTP statuses that confirm a batch;
 * {@code refusedCodes} those that refuse it as it is, so that it is split to find the events the endpoint refuses.
 */
public record UplinkConfig(Boolean enabled, String type, String url, String topic, String clientId, String username,
                           String password, TlsConfig tls, Map<String, String> headers, Integer batchSize,
                           Boolean gzip, Duration timeout, Duration retryMin, Duration retryMax, Double backlogShare,
                           List<Integer> successCodes, List<Integer> refusedCodes, KafkaUplinkConfig kafka)
        implements Section {

    public static final String TYPE_MQTT = "mqtt";
    public static final String TYPE_HTTP = "http";
    public static final String TYPE_KAFKA = "kafka";

    static final Field<Boolean> ENABLED = Field.of("enabled", false);
    static final Field<String> TYPE = Field.of("type", TYPE_MQTT);
    /** Required when enabled; its form depends on the type (see {@link #validate}). */
    static final Field<String> URL = Field.of("url", null);
    static final Field<String> TOPIC = Field.of("topic", "edge/{clientId}/events");
    static final Field<String> CLIENT_ID = Field.of("clientId", "edge-agent-uplink");
    static final Field<String> USERNAME = Field.of("username", null);
    static final Field<String> PASSWORD = Field.of("password", null);
    static final Field<TlsConfig> TLS = Field.of("tls", TlsConfig.NONE);
    static final Field<Map<String, String>> HEADERS = Field.of("headers", Map.of());
    static final Field<Integer> BATCH_SIZE = Field.of("batchSize", 500, Check.range(1, 10_000));
    static final Field<Boolean> GZIP = Field.of("gzip", false);
    static final Field<Duration> TIMEOUT = Field.of("timeout", Duration.ofSeconds(10),
            Check.atLeast(Duration.ofMillis(100)));
    static final Field<Duration> RETRY_MIN = Field.of("retryMin", Duration.ofSeconds(1),
            Check.atLeast(Duration.ofMillis(10)));
    static final Field<Duration> RETRY_MAX = Field.of("retryMax", Duration.ofMinutes(2));
    static final Field<Double> BACKLOG_SHARE = Field.of("backlogShare", 0.5,
            Check.that(s -> s >= 0 && s <= 1, "expected a fraction from 0 to 1"));
    static final Field<List<Integer>> SUCCESS_CODES = Field.of("successCodes", List.of(200, 201, 202, 204),
            Check.that(codes -> !codes.isEmpty() && codes.stream().allMatch(c -> c != null && c >= 200 && c <= 299),
                    "expected a list of HTTP 2xx statuses"));
    /** Statuses that say "not now" or "not you" rather than "not this": retried, never a reason to leave events out. */
    static final Set<Integer> RETRIED_4XX = Set.of(401, 403, 404, 407, 408, 409, 421, 425, 429);
    static final Field<List<Integer>> REFUSED_CODES = Field.of("refusedCodes", List.of(400, 413, 422),
            Check.that(codes -> codes.stream().allMatch(c -> c != null && c >= 400 && c <= 499
                    && !RETRIED_4XX.contains(c)), "expected a list of HTTP 4xx statuses other than " + RETRIED_4XX.stream()
                    .sorted().map(String::valueOf).collect(Collectors.joining(", ")) + " (those are retried: "
                    + "credentials, a wrong URL and rate limits are fixed upstream, not by leaving events out)"));
    static final Field<KafkaUplinkConfig> KAFKA = Field.of("kafka", KafkaUplinkConfig.defaults());

    public UplinkConfig {
        enabled = ENABLED.or(enabled);
        type = TYPE.or(type);
        url = BrokerConfig.blankToNull(url);
        topic = TOPIC.or(topic);
        clientId = CLIENT_ID.or(clientId);
        username = BrokerConfig.blankToNull(username);
        password = BrokerConfig.blankToNull(password);
        tls = TLS.or(tls);
        headers = Map.copyOf(HEADERS.or(headers));
        batchSize = BATCH_SIZE.or(batchSize);
        gzip = GZIP.or(gzip);
        timeout = TIMEOUT.or(timeout);
        retryMin = RETRY_MIN.or(retryMin);
        retryMax = RETRY_MAX.or(retryMax);
        backlogShare = BACKLOG_SHARE.or(backlogShare);
        // Not List.copyOf: a null entry must reach validation as a problem, not fail binding with an NPE.
        successCodes = Collections.unmodifiableList(new ArrayList<>(SUCCESS_CODES.or(successCodes)));
        refusedCodes = Collections.unmodifiableList(new ArrayList<>(REFUSED_CODES.or(refusedCodes)));
        kafka = KAFKA.or(kafka);
    }

    /** An MQTT or HTTP uplink (no Kafka settings, the default refused statuses). */
    public UplinkConfig(Boolean enabled, String type, String url, String topic, String clientId, String username,
                        String password, TlsConfig tls, Map<String, String> headers, Integer batchSize, Boolean gzip,
                        Duration timeout, Duration retryMin, Duration retryMax, Double backlogShare,
                        List<Integer> successCodes) {
        this(enabled, type, url, topic, clientId, username, password, tls, headers, batchSize, gzip, timeout, retryMin,
                retryMax, backlogShare, successCodes, null, null);
    }

    /** The type, URL and backoff order matter only for an uplink that runs. */
    @Override
    public void validate(Validation here) {
        if (!enabled) {
            return;
        }
        if (type.equals(TYPE_KAFKA)) {
            kafka.check(here.at(KAFKA.name()), timeout);
        } else if (!type.equals(TYPE_MQTT) && !type.equals(TYPE_HTTP)) {
            here.problem(TYPE.name(), type, "expected mqtt, http or kafka");
        } else if (url == null) {
            here.problem(URL.name(), null, "expected the upstream " + type + " URL when uplink.enabled is true");
        } else if (type.equals(TYPE_MQTT)) {
            String expectation = Check.mqttUrl().expectation(url);
            if (expectation != null) {
                here.problem(URL.name(), url, expectation);
            }
        } else if (!url.startsWith("http://") && !url.startsWith("https://")) {
            here.problem(URL.name(), url, "expected a URL starting with http:// or https://");
        }
        if (retryMax.compareTo(retryMin) < 0) {
            here.problem(RETRY_MAX.name(), Durations.format(retryMax), "expected at least uplink.retryMin");
        }
    }

    public static UplinkConfig disabled() {
        return new UplinkConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    UplinkConfig resolve(Path base) {
        return new UplinkConfig(enabled, type, url, topic, clientId, username, password, tls.resolve(base), headers,
                batchSize, gzip, timeout, retryMin, retryMax, backlogShare, successCodes, refusedCodes, kafka);
    }

    /** Never prints the password or header values (they often hold tokens). */
    @Override
    public String toString() {
        return "UplinkConfig[enabled=" + enabled + ", type=" + type + ", url=" + url + ", topic=" + topic
                + ", password=" + (password == null ? "none" : "***") + ", headers=" + headers.keySet() + ", kafka=" + kafka + "]";
    }
}
