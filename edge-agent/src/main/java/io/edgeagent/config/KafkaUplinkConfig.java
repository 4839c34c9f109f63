package io.edgeagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Kafka side of {@code uplink} ({@code uplink.kafka}, used when {@code uplink.type} is {@code kafka}). The TLS
 * material is {@code uplink.tls} (PEM, as for the MQTT links); {@code tls} switches encryption on. The producer is
 * always idempotent with {@code acks=all}; the rest are the producer settings a gateway may need to tune.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param topic            template with {@code {kind}}, {@code {deviceId}}, {@code {clientId}}
 * @param tls              whether to connect with TLS (with {@code uplink.tls} files, or the JVM's trust store)
 * @param sasl             SASL PLAIN or SCRAM credentials; null for none
 * @param compression      none, gzip or lz4
 * @param batchBytes       the producer's {@code batch.size}
 * @param linger           the producer's {@code linger.ms}
 * @param deliveryTimeout  the producer's {@code delivery.timeout.ms}: how long a record is retried before the batch
 *                         counts as failed (and is then sent again by the uplink)
 */
public record KafkaUplinkConfig(String bootstrapServers, String topic, Boolean tls, Sasl sasl, String compression,
                                ByteSize batchBytes, Duration linger, Duration deliveryTimeout) {

    /** zstd and snappy need native libraries the package does not ship (8.6 MB for every platform). */
    public static final List<String> COMPRESSIONS = List.of("none", "gzip", "lz4");
    public static final List<String> SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    // Defaults only: the checks depend on uplink.type and uplink.timeout, so check() makes them (from UplinkConfig).
    static final Field<String> BOOTSTRAP_SERVERS = Field.of("bootstrapServers", null);
    static final Field<String> TOPIC_TEMPLATE = Field.of("topic", "edge-events");
    static final Field<Boolean> TLS = Field.of("tls", false);
    static final Field<Sasl> SASL = Field.of("sasl", null);
    static final Field<String> COMPRESSION = Field.of("compression", "none");
    static final Field<ByteSize> BATCH_BYTES = Field.of("batchBytes", new ByteSize(16 * 1024));
    static final Field<Duration> LINGER = Field.of("linger", Duration.ofMillis(5));
    static final Field<Duration> DELIVERY_TIMEOUT = Field.of("deliveryTimeout", Duration.ofMinutes(2));
    /** Kafka's own rule for topic names; a template's placeholders are made to fit it at send time. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._{}-]{1,249}");
    private static final Pattern SERVER = Pattern.compile("[^\\s,:]+:\\d{1,5}");

    /**
     * SASL credentials; {@code password} is usually {@code ${ENV:NAME}} or {@code ${FILE:/path}}.
     *
     * @param mechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
     */
    public record Sasl(String mechanism, String username, String password) {

        public Sasl {
            mechanism = mechanism == null ? "PLAIN" : mechanism.toUpperCase(Locale.ROOT);
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Sasl[mechanism=" + mechanism + ", username=" + username + ", password=***]";
        }
    }

    public KafkaUplinkConfig {
        bootstrapServers = BrokerConfig.blankToNull(bootstrapServers);
        topic = TOPIC_TEMPLATE.or(topic);
        tls = TLS.or(tls);
        compression = COMPRESSION.or(compression).toLowerCase(Locale.ROOT);
        batchBytes = BATCH_BYTES.or(batchBytes);
        linger = LINGER.or(linger);
        deliveryTimeout = DELIVERY_TIMEOUT.or(deliveryTimeout);
    }

    public static KafkaUplinkConfig defaults() {
        return new KafkaUplinkConfig(null, null, null, null, null, null, null, null);
    }

    /**
     * Reports every problem under {@code here} ({@code uplink.kafka}). {@code requestTimeout} is {@code uplink.timeout},
     * which the producer uses per request: Kafka refuses a delivery timeout shorter than it plus the linger.
     */
    void check(Validation here, Duration requestTimeout) {
        if (bootstrapServers == null) {
            here.problem("bootstrapServers", null, "expected host:port[,host:port...] when uplink.type is kafka");
        } else {
            for (String server : bootstrapServers.split(",")) {
                if (!SERVER.matcher(server.strip()).matches()) {
                    here.problem("bootstrapServers", bootstrapServers, "expected host:port[,host:port...]");
                    break;
                }
            }
        }
        if (!TOPIC.matcher(topic).matches()) {
            here.problem("topic", topic, "expected up to 249 letters, digits, '.', '_', '-' and the "
                    + "placeholders {kind}, {deviceId}, {clientId}");
        }
        if (!COMPRESSIONS.contains(compression)) {
            here.problem("compression", compression, "expected one of " + COMPRESSIONS);
        }
        if (batchBytes.bytes() < 1024 || batchBytes.bytes() > 16L * 1024 * 1024) {
            here.problem("batchBytes", batchBytes.toString(), "expected from 1KB to 16MB");
        }
        if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(10)) > 0) {
            here.problem("linger", Durations.format(linger), "expected from 0ms to 10s");
        }
        Duration least = requestTimeout.plus(linger);
        if (deliveryTimeout.compareTo(least) < 0) {
            here.problem("deliveryTimeout", Durations.format(deliveryTimeout), "expected at least "
                    + Durations.format(least) + " (uplink.timeout plus linger; Kafka refuses less)");
        }
        if (sasl != null) {
            if (!SASL_MECHANISMS.contains(sasl.mechanism())) {
                here.problem("sasl.mechanism", sasl.mechanism(), "expected one of " + SASL_MECHANISMS);
            }
            if (sasl.username() == null || sasl.username().isBlank()) {
                here.problem("sasl.username", null, "expected the SASL user name");
            }
            if (sasl.password() == null || sasl.password().isEmpty()) {
                here.problem("sasl.password", null, "expected the SASL password, e.g. ${ENV:KAFKA_PASSWORD}");
            }
        }
    }

    /** Never prints the SASL password. */
    @Override
    public String toString() {
        return "KafkaUplinkConfig[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", tls=" + tls
                + ", sasl=" + sasl + ", compression=" + compression + "]";
    }
}
