package io.edgeagent.agent;

import io.edgeagent.actions.ActionMetrics;
import io.edgeagent.buffer.BufferMetrics;
import io.edgeagent.ingest.IngestMetrics;
import io.edgeagent.metrics.JvmMetrics;
import io.edgeagent.metrics.MetricRegistry;
import io.edgeagent.pipeline.PipelineMetrics;
import io.edgeagent.rules.RuleMetrics;
import io.edgeagent.uplink.UplinkMetrics;
import java.util.Map;

/**
 * Composes the agent's metrics: each stage registers its own families beside its counters ({@code PipelineMetrics},
 * {@code BufferMetrics}, ...), handed a way to find the stage when someone scrapes, so the registry may be built
 * before the agent starts. The order here is the order of /metrics. The test that docs/admin-api.md lists every
 * metric reads this registry.
 */
final class AgentMetrics {

    private AgentMetrics() {
    }

    static MetricRegistry register(Agent agent) {
        MetricRegistry m = new MetricRegistry();
        PipelineMetrics.register(m, agent.counters(), agent::pipelineHealth);
        IngestMetrics.register(m, agent::ingest);
        RuleMetrics.register(m, agent::heapGuard, agent::engine);
        ActionMetrics.register(m, agent::actions);
        BufferMetrics.register(m, agent::buffer);
        UplinkMetrics.register(m, agent::uplinkStats, agent::uplinkUploadTime);
        JvmMetrics.register(m);
        m.gauges("edge_build_info", "Version of edge-agent.", "version", () -> Map.of(AgentAdmin.version(), 1));
        return m;
    }
}
