package io.edgeagent.agent;

import io.edgeagent.actions.ActionRun;
import io.edgeagent.admin.AdminBackend;
import io.edgeagent.admin.PrometheusWriter;
import io.edgeagent.buffer.BufferStats;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Durations;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.ingest.MqttIngest;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.pipeline.PipelineCounters;
import io.edgeagent.pipeline.PipelineHealth;
import io.edgeagent.rules.RuleStatus;
import io.edgeagent.rules.StatementMetrics;
import io.edgeagent.support.StorageHealth;
import io.edgeagent.uplink.UplinkStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The admin API's view of a running {@link Agent}: reads its stages' counters, changes rules through its files. */
final class AgentAdmin implements AdminBackend {

    /** One rule as the API and {@code rules list/show} present it. */
    record RuleView(String name, String status, String description, String source, long matched, long fired,
                    long suppressed, long errors, String lastFired, String lastError, String cooldown, String key,
                    List<String> actions, String epl, List<String> problems, List<StatementMetrics> statements,
                    long limitRefusals, String disabledReason) {
    }

    private final Agent agent;
    private final long startedAt = System.currentTimeMillis();

    AgentAdmin(Agent agent) {
        this.agent = agent;
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public boolean ready() {
        return agent.connectionState() == ConnectionState.CONNECTED && agent.buffer() != null && agent.engine() != null
                && agent.pipelineHealth().ready() && agent.buffer().health().healthy();
    }

    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", version());
        status.put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000);
        status.put("ready", ready());
        Map<String, Object> broker = new LinkedHashMap<>();
        broker.put("url", agent.config().broker().url());
        broker.put("clientId", agent.config().broker().clientId());
        broker.put("state", agent.connectionState().name());
        broker.put("lastError", agent.lastConnectionError());
        status.put("broker", broker);
        PipelineCounters c = agent.counters();
        status.put("ingest", Map.of("messages", c.messages(), "events", c.events(), "decodeErrors", c.decodeErrors(),
                "acknowledged", c.acknowledged(), "queued", agent.queueDepth()));
        PipelineHealth health = agent.pipelineHealth();
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("state", health.state().name());
        pipeline.put("reason", health.reason());
        pipeline.put("since", health.sinceMillis() == 0 ? null : Instant.ofEpochMilli(health.sinceMillis()).toString());
        pipeline.put("decodeFaults", c.decodeFaults());
        pipeline.put("ruleFaults", c.ruleFaults());
        pipeline.put("poisoned", c.poisoned());
        status.put("pipeline", pipeline);
        MqttIngest ingest = agent.ingest();
        if (ingest != null) {
            Map<String, Object> transport = new LinkedHashMap<>();
            transport.put("pauses", ingest.pauses());
            transport.put("refused", ingest.refused());
            transport.put("lostQos0", ingest.lostQos0());
            transport.put("redelivered", ingest.redelivered());
            transport.put("unacknowledged", ingest.unacknowledged());
            transport.put("badTopics", ingest.badTopics());
            transport.put("transportFailures", ingest.transportFailures());
            transport.put("renewals", ingest.renewals());
            status.put("transport", transport);
        }
        List<RuleStatus> rules = agent.rules();
        status.put("rules", Map.of("running", rules.stream().filter(RuleStatus::enabled).count(),
                "disabled", rules.stream().filter(r -> !r.enabled()).count(),
                "rejectedFiles", agent.ruleDirectory().problems().size(),
                "fired", rules.stream().mapToLong(RuleStatus::fired).sum()));
        Map<String, Object> actions = new LinkedHashMap<>();
        actions.put("ok", agent.actions().succeeded());
        actions.put("failed", agent.actions().failed());
        actions.put("refused", agent.actions().rejected());
        actions.put("deduplicated", agent.actions().deduplicated());
        actions.put("runsSucceeded", agent.actions().runsSucceeded());
        actions.put("runsFailed", agent.actions().runsFailed());
        status.put("actions", actions);
        status.put("buffer", bufferSummary());
        UplinkStats uplink = agent.uplinkStats();
        if (uplink == null) {
            status.put("uplink", Map.of("enabled", false));
        } else {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("enabled", true);
            u.put("target", uplink.target());
            u.put("connected", uplink.connected());
            u.put("sentEvents", uplink.sentEvents());
            u.put("eventsPerSecond", uplink.eventsPerSecond());
            u.put("failedAttempts", uplink.failedAttempts());
            u.put("rejectedEvents", uplink.rejectedEvents());
            u.put("consecutiveFailures", uplink.consecutiveFailures());
            u.put("lastError", uplink.lastError());
            u.put("lastSuccess", uplink.lastSuccessTime() == 0 ? null : Instant.ofEpochMilli(uplink.lastSuccessTime()).toString());
            status.put("uplink", u);
        }
        return status;
    }

    @Override
    public List<?> rules() {
        List<RuleView> views = new ArrayList<>();
        Map<String, RuleDefinition> definitions = agent.engine().definitions();
        for (RuleStatus s : agent.rules()) {
            views.add(view(s, definitions.get(s.name())));
        }
        for (Map.Entry<Path, List<Problem>> rejected : agent.ruleDirectory().problems().entrySet()) {
            String file = rejected.getKey().getFileName().toString();
            views.add(new RuleView(file.replaceFirst("\\.ya?ml$", ""), "rejected", "", rejected.getKey().toString(),
                    0, 0, 0, 0, null, null, null, null, List.of(), null,
                    rejected.getValue().stream().map(Problem::describe).toList(), List.of(), 0, null));
        }
        return views;
    }

    private static RuleView view(RuleStatus s, RuleDefinition d) {
        return new RuleView(s.name(), s.enabled() ? "running" : "disabled", s.description(), s.source(), s.matched(),
                s.fired(), s.suppressed(), s.errors(), s.lastFired() == 0 ? null : Instant.ofEpochMilli(s.lastFired()).toString(),
                s.lastError(), d == null ? null : Durations.format(d.cooldown()), d == null ? null : d.key(),
                d == null ? List.of() : d.actions().stream().map(a -> a.type()).toList(), d == null ? null : d.epl(),
                List.of(), s.statements(), s.limitRefusals(), s.disabledReason());
    }

    @Override
    public Optional<?> rule(String name) {
        return rules().stream().map(RuleView.class::cast).filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public Object putRule(String name, String yaml) throws ConfigException, IOException {
        agent.ruleDirectory().write(name, yaml);
        return rule(name).orElseThrow();
    }

    @Override
    public boolean deleteRule(String name) throws IOException {
        return agent.ruleDirectory().delete(name);
    }

    @Override
    public boolean setRuleEnabled(String name, boolean enabled) throws ConfigException, IOException {
        return agent.ruleDirectory().setEnabled(name, enabled);
    }

    @Override
    public Object buffer() {
        BufferStats stats = agent.buffer().stats();
        Map<String, Object> buffer = new LinkedHashMap<>();
        buffer.put("events", stats.rows());
        buffer.put("bytes", stats.bytes());
        buffer.put("oldest", stats.oldestReceivedTime() == 0 ? null : Instant.ofEpochMilli(stats.oldestReceivedTime()).toString());
        buffer.put("oldestAgeSeconds", ageSeconds(stats.oldestReceivedTime()));
        buffer.put("dropped", stats.dropped());
        buffer.put("lost", agent.buffer().lost());
        buffer.put("deadLetters", stats.deadLetters());
        buffer.put("byKind", stats.rowsByKind());
        return buffer;
    }

    /**
     * The buffer figures kept in memory. Status and /metrics use these, never {@link H2Buffer#stats}: that scans the
     * outbox under the buffer's lock, so a scrape every second would stall the pipeline in proportion to the backlog.
     */
    private Map<String, Object> bufferSummary() {
        H2Buffer buffer = agent.buffer();
        long oldest = buffer.oldestStoredTime();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("events", buffer.depth());
        summary.put("bytes", buffer.fileBytes());
        summary.put("oldest", oldest == 0 ? null : Instant.ofEpochMilli(oldest).toString());
        summary.put("oldestAgeSeconds", ageSeconds(oldest));
        summary.put("dropped", buffer.dropped());
        summary.put("lost", buffer.lost());
        summary.put("deadLetters", buffer.deadLetters());
        summary.put("storage", storage(buffer.health()));
        summary.put("refusedForSpace", buffer.refusedForSpace());
        summary.put("storageFaults", buffer.storageFaults());
        return summary;
    }

    /** {"state": "HEALTHY"}, or the state with its reason and since when (ISO time). */
    private static Map<String, Object> storage(StorageHealth health) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("state", health.state().name());
        if (!health.healthy()) {
            view.put("reason", health.reason());
            view.put("since", Instant.ofEpochMilli(health.sinceMillis()).toString());
        }
        return view;
    }

    private static long ageSeconds(long epochMillis) {
        return epochMillis == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - epochMillis) / 1000);
    }

    @Override
    public List<?> deadLetters(int limit) {
        return agent.buffer().recentDeadLetters(limit).stream().map(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seq", d.seq());
            row.put("received", Instant.ofEpochMilli(d.receivedTime()).toString());
            row.put("topic", d.topic());
            row.put("reason", d.reason());
            row.put("payload", printable(d.payload()));
            return row;
        }).toList();
    }

    /** UTF-8 text when the payload is text, hex otherwise, so the JSON stays readable and lossless. */
    private static String printable(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        boolean isText = text.chars().allMatch(ch -> ch >= 0x20 || ch == '\n' || ch == '\r' || ch == '\t')
                && !text.contains("\uFFFD");
        return isText ? text : "hex:" + HexFormat.of().formatHex(payload);
    }

    @Override
    public List<?> actionRuns(int limit) {
        return agent.actions().log().runs(limit).stream().map(AgentAdmin::runView).toList();
    }

    @Override
    public List<?> failedActionRuns(int limit) {
        return agent.actions().log().failed(limit).stream().map(AgentAdmin::runView).toList();
    }

    @Override
    public Optional<?> actionRun(long id) {
        return agent.actions().log().run(id).map(AgentAdmin::runView);
    }

    @Override
    public Optional<?> retryActionRun(long id) {
        return agent.actions().retry(id).flatMap(this::actionRun);
    }

    /** A run as the API and {@code actions runs} present it: times as ISO-8601. */
    private static Map<String, Object> runView(ActionRun run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("rule", run.rule());
        view.put("key", run.key());
        view.put("status", run.status());
        view.put("started", Instant.ofEpochMilli(run.started()).toString());
        view.put("ended", run.ended() == 0 ? null : Instant.ofEpochMilli(run.ended()).toString());
        view.put("error", run.error());
        view.put("retryOf", run.retryOf() == 0 ? null : run.retryOf());
        view.put("retriedBy", run.retriedBy() == 0 ? null : run.retriedBy());
        view.put("fields", run.fields());
        if (!run.steps().isEmpty()) {
            view.put("steps", run.steps().stream().map(step -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("path", step.path());
                s.put("type", step.type());
                s.put("attempts", step.attempts());
                s.put("outcome", step.outcome());
                s.put("error", step.error());
                s.put("output", step.output());
                s.put("durationMs", step.ended() - step.started());
                return s;
            }).toList());
        }
        return view;
    }

    @Override
    public void writeMetrics(PrometheusWriter out) {
        PipelineCounters c = agent.counters();
        out.sample("edge_messages_received_total", "counter", "MQTT messages taken off the broker.", c.messages());
        out.sample("edge_events_stored_total", "counter", "Events appended to the buffer.", c.events());
        out.sample("edge_decode_errors_total", "counter", "Messages that did not decode (dead-lettered).", c.decodeErrors());
        out.sample("edge_messages_acknowledged_total", "counter", "Messages acknowledged to the broker after a checkpoint.",
                c.acknowledged());
        out.sample("edge_buffer_checkpoints_total", "counter", "Buffer checkpoints (durability points).", c.checkpoints());
        out.sample("edge_buffer_errors_total", "counter", "Failed buffer writes (retried; nothing acknowledged).",
                c.bufferErrors());
        MqttIngest ingest = agent.ingest();
        if (ingest != null) {
            out.sample("edge_ingest_pauses_total", "counter",
                    "Times the pipeline's hand-off stayed full and ingest paused (flow control).", ingest.pauses());
            out.sample("edge_ingest_refused_total", "counter",
                    "Messages refused while paused; QoS 1 ones come again on the next connection.", ingest.refused());
            out.sample("edge_ingest_lost_qos0_total", "counter",
                    "QoS 0 messages refused while paused: QoS 0 is never redelivered, so these are lost.",
                    ingest.lostQos0());
            out.sample("edge_ingest_redelivered_total", "counter",
                    "Messages the broker marked as sent before (DUP).", ingest.redelivered());
            out.sample("edge_ingest_unacknowledged_total", "counter",
                    "Stored messages whose acknowledgement found the connection gone (each stored twice, same id).",
                    ingest.unacknowledged());
            out.sample("edge_ingest_bad_topics_total", "counter",
                    "Topics MQTT forbids or discourages, passed on and counted.", ingest.badTopics());
            out.sample("edge_mqtt_transport_failures_total", "counter",
                    "Exceptions from the MQTT transport; each replaced the connection.", ingest.transportFailures());
        }
        out.sample("edge_pipeline_decode_faults_total", "counter",
                "Messages a decoder threw on unexpectedly (dead-lettered; a bug to report).", c.decodeFaults());
        out.sample("edge_pipeline_rule_faults_total", "counter",
                "Events the rules threw on (the events are stored all the same).", c.ruleFaults());
        out.sample("edge_pipeline_poisoned_total", "counter",
                "Messages dead-lettered unprocessed because they stopped the agent twice.", c.poisoned());
        out.sample("edge_pipeline_ready", "gauge", "1 while the pipeline runs or holds for a full buffer, 0 while it "
                + "holds for a storage fault or has failed.", agent.pipelineHealth().ready() ? 1 : 0);
        for (RuleStatus r : agent.rules()) {
            String rule = PrometheusWriter.label("rule", r.name());
            out.sample("edge_rule_matches_total", "counter", "Rows a rule's statement produced.", rule, r.matched());
            out.sample("edge_rule_firings_total", "counter", "Rule firings that passed the cooldown.", rule, r.fired());
            out.sample("edge_rule_suppressed_total", "counter", "Rule matches held back by the cooldown.", rule, r.suppressed());
            out.sample("edge_rule_errors_total", "counter", "Errors while handling a rule's matches.", rule, r.errors());
            out.sample("edge_rule_limit_refusals_total", "counter",
                    "Pattern instances or match-recognize states Esper refused to start for a rule (its limits).", rule,
                    r.limitRefusals());
            out.sample("edge_rule_statement_events_total", "counter",
                    "Events that reached a rule's statements (Esper's statement metrics).", rule,
                    r.statements().stream().mapToLong(StatementMetrics::eventsIn).sum());
            out.sample("edge_rule_statement_seconds_total", "counter",
                    "Wall time spent in a rule's statements (Esper's statement metrics).", rule,
                    r.statements().stream().mapToLong(StatementMetrics::wallNanos).sum() / 1e9);
        }
        String help = "Action steps run, by outcome.";
        out.sample("edge_action_runs_total", "counter", help, PrometheusWriter.label("outcome", "ok"), agent.actions().succeeded());
        out.sample("edge_action_runs_total", "counter", help, PrometheusWriter.label("outcome", "failed"), agent.actions().failed());
        out.sample("edge_action_runs_total", "counter", help, PrometheusWriter.label("outcome", "refused"), agent.actions().rejected());
        out.sample("edge_action_runs_total", "counter", help, PrometheusWriter.label("outcome", "deduplicated"),
                agent.actions().deduplicated());
        String runHelp = "Workflow runs (all steps of one firing), by outcome.";
        out.sample("edge_workflow_runs_total", "counter", runHelp, PrometheusWriter.label("outcome", "succeeded"),
                agent.actions().runsSucceeded());
        out.sample("edge_workflow_runs_total", "counter", runHelp, PrometheusWriter.label("outcome", "failed"),
                agent.actions().runsFailed());
        H2Buffer buffer = agent.buffer();
        out.sample("edge_buffer_events", "gauge", "Events waiting for upload.", buffer.depth());
        out.sample("edge_buffer_bytes", "gauge", "Size of the buffer database file.", buffer.fileBytes());
        out.sample("edge_buffer_oldest_age_seconds", "gauge", "Age of the oldest event waiting for upload.",
                ageSeconds(buffer.oldestStoredTime()));
        out.sample("edge_buffer_dropped_total", "counter", "Events dropped by the drop-oldest policy.", buffer.dropped());
        out.sample("edge_buffer_lost_total", "counter", "Events lost to a damaged buffer file.", buffer.lost());
        out.sample("edge_dead_letters_total", "counter", "Rows in the dead-letter table.", buffer.deadLetters());
        out.sample("edge_mqtt_connected", "gauge", "1 when the ingest connection is up.",
                agent.connectionState() == ConnectionState.CONNECTED ? 1 : 0);
        UplinkStats uplink = agent.uplinkStats();
        if (uplink != null) {
            out.sample("edge_uplink_connected", "gauge", "1 when the last upload attempt reached the target.",
                    uplink.connected() ? 1 : 0);
            out.sample("edge_uplink_events_sent_total", "counter", "Events confirmed by the upstream target.",
                    uplink.sentEvents());
            out.sample("edge_uplink_bytes_sent_total", "counter", "Bytes of confirmed batches, after gzip.",
                    uplink.sentBytes());
            out.sample("edge_uplink_errors_total", "counter", "Failed upload attempts (each is retried).",
                    uplink.failedAttempts());
            out.sample("edge_uplink_drain_events_per_second", "gauge", "Upload rate over the last seconds.",
                    uplink.eventsPerSecond());
            out.sample("edge_uplink_rejected_events_total", "counter", "Events the target refused for good (Kafka: "
                    + "too large), kept as dead letters.", uplink.rejectedEvents());
        }
        out.sample("edge_buffer_refused_total", "counter", "Appends refused by the backpressure policy (retried).",
                agent.buffer().refused());
        out.sample("edge_buffer_storage_healthy", "gauge", "1 when the buffer takes writes (0: low disk space or "
                + "reopening after a storage fault).", buffer.health().healthy() ? 1 : 0);
        out.sample("edge_buffer_refused_for_space_total", "counter", "Appends refused below buffer.minFreeSpace "
                + "(retried).", buffer.refusedForSpace());
        out.sample("edge_buffer_storage_faults_total", "counter", "Storage faults that closed and reopened the buffer.",
                buffer.storageFaults());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.sample("jvm_memory_used_bytes", "gauge", "JVM memory in use.", PrometheusWriter.label("area", "heap"), heap.getUsed());
        out.sample("jvm_memory_used_bytes", "gauge", "JVM memory in use.", PrometheusWriter.label("area", "nonheap"), nonHeap.getUsed());
        out.sample("jvm_memory_max_bytes", "gauge", "JVM memory limit (-1: none).", PrometheusWriter.label("area", "heap"), heap.getMax());
        out.sample("jvm_threads_live", "gauge", "Live JVM threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        out.sample("process_start_time_seconds", "gauge", "Start time of the process, epoch seconds.",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        out.sample("edge_build_info", "gauge", "Version of edge-agent.", PrometheusWriter.label("version", version()), 1);
    }
}
