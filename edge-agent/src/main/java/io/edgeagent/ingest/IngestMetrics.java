package io.edgeagent.ingest;

import io.edgeagent.metrics.MetricRegistry;
import io.edgeagent.mqtt.ConnectionState;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the MQTT ingest counts, registered beside its counters. Its families are hidden until the ingest exists (it
 * is made at start); {@code edge_mqtt_connected} is always there, 0 until then.
 */
public final class IngestMetrics {

    private IngestMetrics() {
    }

    /** @param ingest the ingest now, null before start */
    public static void register(MetricRegistry m, Supplier<MqttIngest> ingest) {
        BooleanSupplier present = () -> ingest.get() != null;
        m.counter("edge_ingest_pauses_total",
                "Times the pipeline's hand-off stayed full and ingest paused (flow control).",
                () -> ingest.get().pauses()).onlyWhen(present);
        m.counter("edge_ingest_refused_total",
                "Messages refused while paused; QoS 1 ones come again on the next connection.",
                () -> ingest.get().refused()).onlyWhen(present);
        m.counter("edge_ingest_lost_qos0_total",
                "QoS 0 messages refused while paused: QoS 0 is never redelivered, so these are lost.",
                () -> ingest.get().lostQos0()).onlyWhen(present);
        m.counter("edge_ingest_redelivered_total", "Messages the broker marked as sent before (DUP).",
                () -> ingest.get().redelivered()).onlyWhen(present);
        m.counter("edge_ingest_unacknowledged_total",
                "Stored messages whose acknowledgement found the connection gone (each stored twice, same id).",
                () -> ingest.get().unacknowledged()).onlyWhen(present);
        m.counter("edge_ingest_bad_topics_total", "Topics MQTT forbids or discourages, passed on and counted.",
                () -> ingest.get().badTopics()).onlyWhen(present);
        m.counter("edge_mqtt_transport_failures_total",
                "Exceptions from the MQTT transport; each replaced the connection.",
                () -> ingest.get().transportFailures()).onlyWhen(present);
        m.counter("edge_mqtt_suspected_takeovers_total", "Ingest connections lost soon after connecting, in a series: "
                + "probably another client with the same broker.clientId.",
                () -> ingest.get().suspectedTakeovers()).onlyWhen(present);
        m.gauge("edge_mqtt_connected", "1 when the ingest connection is up.", () -> {
            MqttIngest now = ingest.get();
            return now != null && now.state() == ConnectionState.CONNECTED ? 1 : 0;
        });
    }
}
