package io.edgeagent.uplink.kafka;

import io.edgeagent.config.UplinkConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.uplink.RejectedEventsException;
import io.edgeagent.uplink.Rejection;
import io.edgeagent.uplink.UplinkBatch;
import io.edgeagent.uplink.UplinkException;
import io.edgeagent.uplink.UplinkTarget;
import io.edgeagent.uplink.UplinkWire;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Produces each event of a batch as one Kafka record (key: the device id, value: the event's JSON with its
 * {@code seq}, headers {@value #EVENT_ID} and {@value #AGENT}) and returns when Kafka acknowledged every record.
 *
 * <p>Order: one device's records share a key, hence a partition; the idempotent producer writes a partition's records
 * in the order they were sent, across its own retries, and never writes a record after one it failed to write within
 * the same producer epoch. So what a failed attempt wrote of a device is a prefix of that device's records, and the
 * uplink's resend of the whole batch repeats that prefix first: the first copies stay in order, and a consumer that
 * drops ids it has seen reads each device's events in order.
 *
 * <p>Records Kafka can never take (too large, an invalid topic) are reported as {@link Rejection}s so the uplink
 * dead-letters them; any other failure fails the batch, which the uplink sends again with backoff.
 */
public final class KafkaUplinkTarget implements UplinkTarget {

    public static final String EVENT_ID = "edge-event-id";
    public static final String AGENT = "edge-agent";

    private final String servers;
    /** Whom the broker sees, for error lines: the SASL user, else the client certificate or the anonymous agent. */
    private final String user;
    private final TopicTemplate topics;
    private final Header agentHeader;
    /** The most a send waits for the records it sent: Kafka's delivery timeout plus a request's. */
    private final Duration settleWithin;
    private final Map<String, Object> settings;
    private volatile Producer<byte[], byte[]> producer;

    public KafkaUplinkTarget(UplinkConfig config) {
        this.servers = config.kafka().bootstrapServers();
        this.user = config.kafka().sasl() != null
                ? "user " + config.kafka().sasl().username() + " (" + config.kafka().sasl().mechanism() + ")"
                : config.tls().clientCertificate() ? "the agent's client certificate" : "the agent";
        this.topics = new TopicTemplate(config.kafka().topic(), config.clientId());
        this.agentHeader = new RecordHeader(AGENT, config.clientId().getBytes(StandardCharsets.UTF_8));
        this.settleWithin = config.kafka().deliveryTimeout().plus(config.timeout());
        this.settings = ProducerSettings.of(config);
    }

    @Override
    public void start() {
        // The producer connects in the background on its own I/O thread (kafka-producer-network-thread | clientId).
        producer = new KafkaProducer<>(settings);
    }

    @Override
    public long send(UplinkBatch batch) throws UplinkException, RejectedEventsException, InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        List<String> topicOf = new ArrayList<>(batch.size());
        UplinkException failure = null;
        for (BufferedEvent event : batch.events()) {
            String topic = topics.resolve(event);
            Throwable early;
            try {
                Future<RecordMetadata> future = producer.send(record(topic, event));
                sent.add(future);
                topicOf.add(topic);
                early = failedAtOnce(future);
            } catch (KafkaException e) {
                early = e;
            }
            // Failed before the record was queued (no metadata within uplink.timeout, credentials refused): later
            // records would wait just as long, so the attempt stops here and the whole batch is sent again.
            if (early != null && !refusedForGood(early)) {
                failure = failure(topic, early);
                break;
            }
        }
        long bytes = 0;
        List<Rejection> rejected = new ArrayList<>();
        long deadline = System.nanoTime() + settleWithin.toNanos();
        for (int i = 0; i < sent.size(); i++) {
            BufferedEvent event = batch.events().get(i);
            try {
                RecordMetadata acked = sent.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                bytes += Math.max(0, acked.serializedKeySize()) + Math.max(0, acked.serializedValueSize());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (refusedForGood(cause)) {
                    rejected.add(new Rejection(event, "kafka:" + topicOf.get(i), "Kafka refused the event for good: "
                            + cause.getClass().getSimpleName() + ": " + cause.getMessage()));
                } else if (failure == null) {
                    failure = failure(topicOf.get(i), cause);
                }
            } catch (TimeoutException e) {
                if (failure == null) {
                    failure = new UplinkException("Kafka " + servers + " did not acknowledge within "
                            + settleWithin.toSeconds() + " s");
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!rejected.isEmpty()) {
            throw new RejectedEventsException(rejected, bytes);
        }
        return bytes;
    }

    /** The cause when the producer failed the record without queueing it, else null. */
    private static Throwable failedAtOnce(Future<RecordMetadata> future) throws InterruptedException {
        if (!future.isDone()) {
            return null;
        }
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private ProducerRecord<byte[], byte[]> record(String topic, BufferedEvent event) {
        List<Header> headers = List.of(new RecordHeader(EVENT_ID, event.id().getBytes(StandardCharsets.UTF_8)),
                agentHeader);
        return new ProducerRecord<>(topic, null, event.deviceId().getBytes(StandardCharsets.UTF_8),
                UplinkWire.withSeq(event).getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Sending the same record again can never succeed. */
    static boolean refusedForGood(Throwable cause) {
        return cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException
                || cause instanceof InvalidTopicException;
    }

    /** One line a person can act on: which of the usual causes it is, with Kafka's own words and their root cause. */
    UplinkException failure(String topic, Throwable cause) {
        // Kafka may wrap the refusal ("Cannot execute transactional method because we are in an error state" once
        // the producer was refused its id), and which of the two a send sees depends on timing: the first
        // authentication or authorization failure in the chain decides the message.
        Throwable root = cause;
        Throwable denied = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (denied == null && (t instanceof AuthenticationException || t instanceof AuthorizationException)) {
                denied = t;
            }
        }
        if (denied == null) {
            denied = cause;
        }
        String kafka = cause.getClass().getSimpleName() + ": " + cause.getMessage()
                + (root == cause ? "" : "; " + root.getClass().getSimpleName() + ": " + root.getMessage());
        String what;
        if (denied instanceof SslAuthenticationException) {
            what = "TLS handshake with Kafka " + servers + " failed: " + tlsHint(root);
        } else if (denied instanceof SaslAuthenticationException) {
            what = "Kafka " + servers + " refused the agent's credentials: SASL authentication failed for " + user
                    + " (check uplink.kafka.sasl)";
        } else if (denied instanceof AuthenticationException) {
            what = "Kafka " + servers + " refused the agent's credentials";
        } else if (denied instanceof TopicAuthorizationException || denied instanceof ClusterAuthorizationException) {
            // An idempotent producer may also write with WRITE on a topic alone, so the fix is the same for both.
            what = "Kafka " + servers + " does not allow " + user + " to write to topic " + topic
                    + " (grant WRITE and DESCRIBE on it, e.g. kafka-acls --add --producer)";
        } else if (denied instanceof AuthorizationException) {
            what = "Kafka " + servers + " does not allow " + user + " to write to topic " + topic;
        } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException && !connected()) {
            what = "Kafka " + servers + " is unreachable";
        } else if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            what = "topic " + topic + " is not on Kafka " + servers + " (create it, or allow auto-creation)";
        } else {
            what = "Kafka " + servers + " did not take the batch";
        }
        return new UplinkException(what + " (" + kafka + ")", cause);
    }

    /** What to check, from the JDK's reason the handshake failed. */
    private static String tlsHint(Throwable root) {
        String reason = String.valueOf(root.getMessage());
        if (root instanceof CertPathBuilderException || root instanceof CertPathValidatorException) {
            return "the broker's certificate is not signed by a CA the agent trusts (uplink.tls.caFile, or the JVM's "
                    + "trust store when caFile is not set)";
        }
        if (root instanceof CertificateException && reason.contains("subject alternative")) {
            return "the broker's certificate does not name the host the agent connected to (its subject alternative "
                    + "names must include the host of uplink.kafka.bootstrapServers and of the broker's advertised "
                    + "listener)";
        }
        if (reason.contains("certificate_required") || reason.contains("bad_certificate")
                || reason.contains("unknown_ca")) {
            return "the broker requires a client certificate it accepts (uplink.tls.certFile and keyFile, signed by a "
                    + "CA the broker trusts)";
        }
        return "check uplink.tls.caFile (the CA that signed the broker's certificate) and, if the broker requires a "
                + "client certificate, uplink.tls.certFile and keyFile";
    }

    @Override
    public String describe() {
        return "kafka " + servers;
    }

    @Override
    public boolean connected() {
        Producer<byte[], byte[]> p = producer;
        if (p == null) {
            return false;
        }
        for (Map.Entry<MetricName, ? extends Metric> metric : p.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("connection-count") && name.group().equals("producer-metrics")) {
                return ((Number) metric.getValue().metricValue()).doubleValue() > 0;
            }
        }
        return false;
    }

    @Override
    public void close() {
        Producer<byte[], byte[]> p = producer;
        if (p != null) {
            // Records not yet acknowledged stay in the buffer and are sent again after restart.
            p.close(Duration.ofSeconds(1));
        }
    }
}
