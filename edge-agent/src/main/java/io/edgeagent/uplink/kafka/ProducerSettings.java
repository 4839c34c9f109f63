package io.edgeagent.uplink.kafka;

import io.edgeagent.config.KafkaUplinkConfig;
import io.edgeagent.config.UplinkConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer configuration for an uplink: idempotent, {@code acks=all}, retried by the client until the delivery
 * timeout, at most 5 requests in flight per connection (the most idempotence keeps in order), and blocking for
 * metadata no longer than {@code uplink.timeout}.
 */
final class ProducerSettings {

    private ProducerSettings() {
    }

    static Map<String, Object> of(UplinkConfig uplink) {
        KafkaUplinkConfig kafka = uplink.kafka();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, uplink.clientId());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, kafka.compression());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, (int) kafka.batchBytes().bytes());
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) kafka.linger().toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) uplink.timeout().toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, uplink.timeout().toMillis());
        p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, uplink.retryMax().toMillis());
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, uplink.retryMax().toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Without PEM files the client's own TLS setup uses the JVM's trust store, as the MQTT links do.
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                (kafka.sasl() == null ? "" : "SASL_") + (kafka.tls() ? "SSL" : "PLAINTEXT"));
        if (kafka.tls() && (uplink.tls().caFile() != null || uplink.tls().clientCertificate())) {
            p.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, PemSslEngineFactory.class);
            p.put(PemSslEngineFactory.TLS_CONFIG, uplink.tls());
        }
        if (kafka.sasl() != null) {
            KafkaUplinkConfig.Sasl sasl = kafka.sasl();
            String module = sasl.mechanism().equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism());
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(sasl.username())
                    + "\" password=\"" + jaasEscape(sasl.password()) + "\";");
        }
        return p;
    }

    /** A JAAS option value is a quoted string: a quote or backslash in a secret must not end it. */
    static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
