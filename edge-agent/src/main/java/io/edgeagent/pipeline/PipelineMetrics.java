package io.edgeagent.pipeline;

import io.edgeagent.metrics.MetricRegistry;
import java.util.function.Supplier;

/** What the pipeline counts, registered beside its counters (docs/admin-api.md, "Metrics"). */
public final class PipelineMetrics {

    private PipelineMetrics() {
    }

    /** @param health the pipeline's state now; {@code RUNNING} before it starts */
    public static void register(MetricRegistry m, PipelineCounters c, Supplier<PipelineHealth> health) {
        m.counter("edge_messages_received_total", "MQTT messages taken off the broker.", c::messages);
        m.counter("edge_events_stored_total", "Events appended to the buffer.", c::events);
        m.counter("edge_decode_errors_total", "Messages that did not decode (dead-lettered).", c::decodeErrors);
        m.counter("edge_messages_acknowledged_total", "Messages acknowledged to the broker after a checkpoint.",
                c::acknowledged);
        m.counter("edge_buffer_checkpoints_total", "Buffer checkpoints (durability points).", c::checkpoints);
        m.histogram("edge_buffer_checkpoint_seconds", "Time a buffer checkpoint took (commit before acknowledging).",
                c::checkpointTime);
        m.counter("edge_buffer_errors_total", "Failed buffer writes (retried; nothing acknowledged).", c::bufferErrors);
        m.counter("edge_pipeline_decode_faults_total",
                "Messages a decoder threw on unexpectedly (dead-lettered; a bug to report).", c::decodeFaults);
        m.counter("edge_pipeline_rule_faults_total", "Events the rules threw on (the events are stored all the same).",
                c::ruleFaults);
        m.counter("edge_pipeline_poisoned_total",
                "Messages dead-lettered unprocessed because they stopped the agent twice.", c::poisoned);
        m.gauge("edge_pipeline_ready", "1 while the pipeline runs or holds for a full buffer, 0 while it holds for a "
                + "storage fault or has failed.", () -> health.get().ready() ? 1 : 0);
    }
}
