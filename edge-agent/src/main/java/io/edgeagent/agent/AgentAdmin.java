package io.edgeagent.agent;

import io.edgeagent.actions.ActionRun;
import io.edgeagent.admin.ActionRunView;
import io.edgeagent.admin.AdminBackend;
import io.edgeagent.admin.BufferView;
import io.edgeagent.admin.DeadLetterView;
import io.edgeagent.admin.RuleView;
import io.edgeagent.admin.StatusView;
import io.edgeagent.admin.ViewTimes;
import io.edgeagent.buffer.BufferStats;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Durations;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.ingest.MqttIngest;
import io.edgeagent.metrics.MetricRegistry;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.pipeline.PipelineCounters;
import io.edgeagent.pipeline.PipelineHealth;
import io.edgeagent.rules.HeapGuard;
import io.edgeagent.rules.RuleStatus;
import io.edgeagent.storage.StorageHealth;
import io.edgeagent.uplink.UplinkStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's view of a running {@link Agent}: reads its stages into the admin views, changes rules through its
 * files. What /metrics shows each stage registers itself; {@link AgentMetrics} composes the registrations.
 */
public final class AgentAdmin implements AdminBackend {

    private final Agent agent;
    private final long startedAt = System.currentTimeMillis();
    private final MetricRegistry metrics;

    AgentAdmin(Agent agent) {
        this.agent = agent;
        this.metrics = AgentMetrics.register(agent);
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
    public StatusView status() {
        var broker = new StatusView.Broker(agent.config().broker().url(), agent.config().broker().clientId(),
                agent.connectionState().name(), agent.lastConnectionError());
        PipelineCounters c = agent.counters();
        var ingest = new StatusView.Ingest(c.messages(), c.events(), c.decodeErrors(), c.acknowledged(),
                agent.queueDepth());
        PipelineHealth health = agent.pipelineHealth();
        var pipeline = new StatusView.Pipeline(health.state().name(), health.reason(),
                ViewTimes.iso(health.sinceMillis()), c.decodeFaults(), c.ruleFaults(), c.poisoned());
        MqttIngest i = agent.ingest();
        var transport = i == null ? null : new StatusView.Transport(i.pauses(), i.refused(), i.lostQos0(),
                i.redelivered(), i.unacknowledged(), i.badTopics(), i.transportFailures(), i.renewals(),
                i.suspectedTakeovers());
        List<RuleStatus> rules = agent.rules();
        var ruleCounts = new StatusView.Rules(rules.stream().filter(RuleStatus::enabled).count(),
                rules.stream().filter(r -> !r.enabled()).count(), agent.ruleDirectory().problems().size(),
                rules.stream().mapToLong(RuleStatus::fired).sum());
        var a = agent.actions();
        var actions = new StatusView.Actions(a.succeeded(), a.failed(), a.rejected(), a.deduplicated(),
                a.runsSucceeded(), a.runsFailed());
        HeapGuard guard = agent.heapGuard();
        var memory = guard == null ? null : new StatusView.Memory(
                Math.round(guard.usedAfterCollection() * 1000) / 1000.0, HeapGuard.DEFAULT_THRESHOLD,
                guard.disabledRules());
        return new StatusView(version(), (System.currentTimeMillis() - startedAt) / 1000, ready(), broker, ingest,
                pipeline, transport, ruleCounts, memory, actions, bufferSummary(), uplink());
    }

    private StatusView.Uplink uplink() {
        UplinkStats u = agent.uplinkStats();
        if (u == null) {
            return new StatusView.Disabled();
        }
        return new StatusView.Enabled(true, u.target(), u.connected(), u.sentEvents(), u.eventsPerSecond(),
                u.failedAttempts(), u.rejectedEvents(), u.consecutiveFailures(), u.lastError(),
                ViewTimes.iso(u.lastSuccessTime()));
    }

    /**
     * The buffer figures kept in memory. Status and /metrics use these, never {@link H2Buffer#stats}: that scans the
     * outbox under the buffer's lock, so a scrape every second would stall the pipeline in proportion to the backlog.
     */
    private StatusView.Buffer bufferSummary() {
        H2Buffer buffer = agent.buffer();
        long oldest = buffer.oldestStoredTime();
        return new StatusView.Buffer(buffer.depth(), buffer.storedBytes(), buffer.fileBytes(), ViewTimes.iso(oldest),
                ViewTimes.ageSeconds(oldest), buffer.dropped(), buffer.lost(), buffer.deadLetters(),
                storage(buffer.health()), buffer.refusedForSpace(), buffer.storageFaults());
    }

    private static StatusView.Storage storage(StorageHealth health) {
        return health.healthy() ? new StatusView.Storage(health.state().name(), null, null)
                : new StatusView.Storage(health.state().name(), health.reason(), ViewTimes.iso(health.sinceMillis()));
    }

    @Override
    public List<RuleView> rules() {
        List<RuleView> views = new ArrayList<>();
        Map<String, RuleDefinition> definitions = agent.engine().definitions();
        for (RuleStatus s : agent.rules()) {
            views.add(view(s, definitions.get(s.name())));
        }
        for (Map.Entry<Path, List<Problem>> rejected : agent.ruleDirectory().problems().entrySet()) {
            String file = rejected.getKey().getFileName().toString();
            views.add(RuleView.rejected(file.replaceFirst("\\.ya?ml$", ""), rejected.getKey().toString(),
                    rejected.getValue().stream().map(Problem::describe).toList()));
        }
        return views;
    }

    private static RuleView.Deployed view(RuleStatus s, RuleDefinition d) {
        var counters = new RuleView.Counters(s.matched(), s.fired(), s.suppressed(), s.errors(), s.lastFired(),
                s.lastError(), s.limitRefusals());
        var definition = d == null ? new RuleView.Definition(s.description(), null, null, List.of(), null)
                : new RuleView.Definition(s.description(), Durations.format(d.cooldown()), d.key(),
                        d.actions().stream().map(action -> action.type()).toList(), d.epl());
        var statements = s.statements().stream().map(m -> new RuleView.Statement(m.statement(), m.eventsIn(),
                m.rowsOut(), m.wallNanos(), m.cpuNanos())).toList();
        return RuleView.deployed(s.name(), s.enabled(), s.source(), counters, definition, statements,
                s.disabledReason());
    }

    @Override
    public Optional<RuleView> rule(String name) {
        return rules().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public RuleView putRule(String name, String yaml) throws ConfigException, IOException {
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
    public BufferView buffer() {
        H2Buffer buffer = agent.buffer();
        return view(buffer.stats(), buffer.lost());
    }

    /** The same view for the running agent and for {@code buffer stats} on a stopped one. */
    public static BufferView view(BufferStats stats, long lost) {
        return new BufferView(stats.rows(), stats.storedBytes(), stats.bytes(), ViewTimes.iso(stats.oldestReceivedTime()),
                ViewTimes.ageSeconds(stats.oldestReceivedTime()), stats.dropped(), lost, stats.deadLetters(),
                stats.rowsByKind());
    }

    @Override
    public List<DeadLetterView> deadLetters(int limit) {
        return agent.buffer().recentDeadLetters(limit).stream()
                .map(d -> DeadLetterView.of(d.seq(), d.receivedTime(), d.topic(), d.reason(), d.payload())).toList();
    }

    @Override
    public List<ActionRunView> actionRuns(int limit) {
        return agent.actions().log().runs(limit).stream().map(AgentAdmin::runView).toList();
    }

    @Override
    public List<ActionRunView> failedActionRuns(int limit) {
        return agent.actions().log().failed(limit).stream().map(AgentAdmin::runView).toList();
    }

    @Override
    public Optional<ActionRunView> actionRun(long id) {
        return agent.actions().log().run(id).map(AgentAdmin::runView);
    }

    @Override
    public Optional<ActionRunView> retryActionRun(long id) {
        return agent.actions().retry(id).flatMap(this::actionRun);
    }

    private static ActionRunView runView(ActionRun run) {
        return new ActionRunView(run.id(), run.rule(), run.key(), run.status(), ViewTimes.iso(run.started()),
                ViewTimes.iso(run.ended()), run.error(), run.retryOf() == 0 ? null : run.retryOf(),
                run.retriedBy() == 0 ? null : run.retriedBy(), run.fields(), run.steps().stream()
                .map(step -> new ActionRunView.Step(step.path(), step.type(), step.attempts(), step.outcome(),
                        step.error(), step.output(), step.ended() - step.started())).toList());
    }

    @Override
    public MetricRegistry metrics() {
        return metrics;
    }
}
