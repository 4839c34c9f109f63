package io.edgeagent.agent;

import io.edgeagent.admin.ViewTimes;
import io.edgeagent.metrics.MetricRegistry;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.rules.RuleStatus;
import io.edgeagent.rules.StatementMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Registers what the agent's stages count, once each. The callbacks read the stages when someone scrapes, so they may
 * be registered before the agent starts; families of a stage that does not run (ingest before start, the uplink when
 * disabled) are hidden with {@code onlyWhen}. Adding a metric is one call here (docs/admin-api.md, "Metrics"); the
 * test that the docs list every metric reads this registry.
 */
final class AgentMetrics {

    private AgentMetrics() {
    }

    static MetricRegistry register(Agent agent) {
        MetricRegistry m = new MetricRegistry();
        pipeline(m, agent);
        ingest(m, agent);
        rules(m, agent);
        actions(m, agent);
        buffer(m, agent);
        uplink(m, agent);
        jvm(m);
        return m;
    }

    private static void pipeline(MetricRegistry m, Agent agent) {
        var c = agent.counters();
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
                + "storage fault or has failed.", () -> agent.pipelineHealth().ready() ? 1 : 0);
    }

    private static void ingest(MetricRegistry m, Agent agent) {
        BooleanSupplier present = () -> agent.ingest() != null;
        m.counter("edge_ingest_pauses_total",
                "Times the pipeline's hand-off stayed full and ingest paused (flow control).",
                () -> agent.ingest().pauses()).onlyWhen(present);
        m.counter("edge_ingest_refused_total",
                "Messages refused while paused; QoS 1 ones come again on the next connection.",
                () -> agent.ingest().refused()).onlyWhen(present);
        m.counter("edge_ingest_lost_qos0_total",
                "QoS 0 messages refused while paused: QoS 0 is never redelivered, so these are lost.",
                () -> agent.ingest().lostQos0()).onlyWhen(present);
        m.counter("edge_ingest_redelivered_total", "Messages the broker marked as sent before (DUP).",
                () -> agent.ingest().redelivered()).onlyWhen(present);
        m.counter("edge_ingest_unacknowledged_total",
                "Stored messages whose acknowledgement found the connection gone (each stored twice, same id).",
                () -> agent.ingest().unacknowledged()).onlyWhen(present);
        m.counter("edge_ingest_bad_topics_total", "Topics MQTT forbids or discourages, passed on and counted.",
                () -> agent.ingest().badTopics()).onlyWhen(present);
        m.counter("edge_mqtt_transport_failures_total",
                "Exceptions from the MQTT transport; each replaced the connection.",
                () -> agent.ingest().transportFailures()).onlyWhen(present);
        m.counter("edge_mqtt_suspected_takeovers_total", "Ingest connections lost soon after connecting, in a series: "
                + "probably another client with the same broker.clientId.",
                () -> agent.ingest().suspectedTakeovers()).onlyWhen(present);
        m.gauge("edge_mqtt_connected", "1 when the ingest connection is up.",
                () -> agent.connectionState() == ConnectionState.CONNECTED ? 1 : 0);
    }

    private static void rules(MetricRegistry m, Agent agent) {
        BooleanSupplier guarded = () -> agent.heapGuard() != null;
        m.counter("edge_heap_guard_rules_disabled_total",
                "Rules the heap guard disabled to release their state (heap too full after a collection).",
                () -> agent.heapGuard().disabledRules().size()).onlyWhen(guarded);
        m.gauge("edge_heap_used_after_gc_ratio",
                "Old generation in use after the last collection, as a share of its maximum.",
                () -> agent.heapGuard().usedAfterCollection()).onlyWhen(guarded);
        m.perItem("rule", () -> agent.engine() == null ? List.<RuleStatus>of() : agent.rules(),
                        RuleStatus::name)
                .counter("edge_rule_matches_total", "Rows a rule's statement produced.", RuleStatus::matched)
                .counter("edge_rule_firings_total", "Rule firings that passed the cooldown.", RuleStatus::fired)
                .counter("edge_rule_suppressed_total", "Rule matches held back by the cooldown.", RuleStatus::suppressed)
                .counter("edge_rule_errors_total", "Errors while handling a rule's matches.", RuleStatus::errors)
                .counter("edge_rule_limit_refusals_total", "Pattern instances or match-recognize states Esper refused "
                        + "to start for a rule (its limits).", RuleStatus::limitRefusals)
                .counter("edge_rule_statement_events_total",
                        "Events that reached a rule's statements (Esper's statement metrics).",
                        r -> r.statements().stream().mapToLong(StatementMetrics::eventsIn).sum())
                .counter("edge_rule_statement_seconds_total",
                        "Wall time spent in a rule's statements (Esper's statement metrics).",
                        r -> r.statements().stream().mapToLong(StatementMetrics::wallNanos).sum() / 1e9);
    }

    private static void actions(MetricRegistry m, Agent agent) {
        m.counters("edge_action_runs_total", "Action steps run, by outcome.", "outcome", () -> {
            Map<String, Long> byOutcome = new LinkedHashMap<>();
            byOutcome.put("ok", agent.actions().succeeded());
            byOutcome.put("failed", agent.actions().failed());
            byOutcome.put("refused", agent.actions().rejected());
            byOutcome.put("deduplicated", agent.actions().deduplicated());
            return byOutcome;
        }).onlyWhen(() -> agent.actions() != null);
        m.counters("edge_workflow_runs_total", "Workflow runs (all steps of one firing), by outcome.", "outcome",
                () -> ordered("succeeded", agent.actions().runsSucceeded(), "failed", agent.actions().runsFailed()))
                .onlyWhen(() -> agent.actions() != null);
        m.histogram("edge_action_start_latency_seconds", "From taking a message off the broker to the start of the "
                + "action run of the rule it made fire (timer firings are not counted).",
                () -> agent.actions() == null ? null : agent.actions().startLatency());
    }

    private static void buffer(MetricRegistry m, Agent agent) {
        BooleanSupplier present = () -> agent.buffer() != null;
        m.gauge("edge_buffer_events", "Events waiting for upload.", () -> agent.buffer().depth()).onlyWhen(present);
        m.gauge("edge_buffer_bytes", "Size of the buffer database file.", () -> agent.buffer().fileBytes())
                .onlyWhen(present);
        m.gauge("edge_buffer_oldest_age_seconds", "Age of the oldest event waiting for upload.",
                () -> ViewTimes.ageSeconds(agent.buffer().oldestStoredTime())).onlyWhen(present);
        m.counter("edge_buffer_dropped_total", "Events dropped by the drop-oldest policy.",
                () -> agent.buffer().dropped()).onlyWhen(present);
        m.counter("edge_buffer_lost_total", "Events lost to a damaged buffer file.", () -> agent.buffer().lost())
                .onlyWhen(present);
        m.counter("edge_dead_letters_total", "Rows in the dead-letter table.", () -> agent.buffer().deadLetters())
                .onlyWhen(present);
        m.counter("edge_buffer_refused_total", "Appends refused by the backpressure policy (retried).",
                () -> agent.buffer().refused()).onlyWhen(present);
        m.gauge("edge_buffer_storage_healthy", "1 when the buffer takes writes (0: low disk space or reopening after a "
                + "storage fault).", () -> agent.buffer().health().healthy() ? 1 : 0).onlyWhen(present);
        m.counter("edge_buffer_refused_for_space_total", "Appends refused below buffer.minFreeSpace (retried).",
                () -> agent.buffer().refusedForSpace()).onlyWhen(present);
        m.counter("edge_buffer_storage_faults_total", "Storage faults that closed and reopened the buffer.",
                () -> agent.buffer().storageFaults()).onlyWhen(present);
    }

    private static void uplink(MetricRegistry m, Agent agent) {
        BooleanSupplier present = () -> agent.uplinkStats() != null;
        m.gauge("edge_uplink_connected", "1 when the last upload attempt reached the target.",
                () -> agent.uplinkStats().connected() ? 1 : 0).onlyWhen(present);
        m.counter("edge_uplink_events_sent_total", "Events confirmed by the upstream target.",
                () -> agent.uplinkStats().sentEvents()).onlyWhen(present);
        m.counter("edge_uplink_bytes_sent_total", "Bytes of confirmed batches, after gzip.",
                () -> agent.uplinkStats().sentBytes()).onlyWhen(present);
        m.counter("edge_uplink_errors_total", "Failed upload attempts (each is retried).",
                () -> agent.uplinkStats().failedAttempts()).onlyWhen(present);
        m.counter("edge_uplink_rejected_events_total", "Events the target refused for good (Kafka: too large), kept "
                + "as dead letters.", () -> agent.uplinkStats().rejectedEvents()).onlyWhen(present);
        m.gauge("edge_uplink_drain_events_per_second", "Upload rate over the last seconds.",
                () -> agent.uplinkStats().eventsPerSecond()).onlyWhen(present);
        m.histogram("edge_uplink_upload_seconds", "Time from sending a batch to the target's confirmation.",
                agent::uplinkUploadTime);
    }

    private static void jvm(MetricRegistry m) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        m.gauges("jvm_memory_used_bytes", "JVM memory in use.", "area", () -> ordered(
                "heap", memory.getHeapMemoryUsage().getUsed(), "nonheap", memory.getNonHeapMemoryUsage().getUsed()));
        m.gauges("jvm_memory_max_bytes", "JVM memory limit (-1: none).", "area",
                () -> Map.of("heap", memory.getHeapMemoryUsage().getMax()));
        m.gauge("jvm_threads_live", "Live JVM threads.", () -> ManagementFactory.getThreadMXBean().getThreadCount());
        m.gauge("process_start_time_seconds", "Start time of the process, epoch seconds.",
                () -> ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        m.gauges("edge_build_info", "Version of edge-agent.", "version", () -> Map.of(AgentAdmin.version(), 1));
    }

    private static Map<String, Long> ordered(String k1, long v1, String k2, long v2) {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
