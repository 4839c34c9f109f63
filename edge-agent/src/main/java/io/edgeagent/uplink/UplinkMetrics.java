package io.edgeagent.uplink;

import io.edgeagent.metrics.Histogram;
import io.edgeagent.metrics.MetricRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the uplink counts, registered beside its counters. Without an uplink ({@code uplink.enabled: false}) its
 * families do not exist, so a dashboard can tell "no uplink" from "uplink at zero".
 */
public final class UplinkMetrics {

    private UplinkMetrics() {
    }

    /**
     * @param stats      the uplink's counters now, null without an uplink
     * @param uploadTime the uplink's upload times, null without an uplink
     */
    public static void register(MetricRegistry m, Supplier<UplinkStats> stats, Supplier<Histogram> uploadTime) {
        BooleanSupplier present = () -> stats.get() != null;
        m.gauge("edge_uplink_connected", "1 when the last upload attempt reached the target.",
                () -> stats.get().connected() ? 1 : 0).onlyWhen(present);
        m.counter("edge_uplink_events_sent_total", "Events confirmed by the upstream target.",
                () -> stats.get().sentEvents()).onlyWhen(present);
        m.counter("edge_uplink_bytes_sent_total", "Bytes of confirmed batches, after gzip.",
                () -> stats.get().sentBytes()).onlyWhen(present);
        m.counter("edge_uplink_errors_total", "Failed upload attempts (each is retried).",
                () -> stats.get().failedAttempts()).onlyWhen(present);
        m.counter("edge_uplink_rejected_events_total", "Events the target refused for good (Kafka: too large; HTTP: "
                + "refused on their own), kept as dead letters.", () -> stats.get().rejectedEvents()).onlyWhen(present);
        m.gauge("edge_uplink_drain_events_per_second", "Upload rate over the last seconds.",
                () -> stats.get().eventsPerSecond()).onlyWhen(present);
        m.histogram("edge_uplink_upload_seconds", "Time from sending a batch to the target's confirmation.",
                uploadTime);
    }
}
