package io.edgeagent.rules;

import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.metric.StatementMetric;
import com.espertech.esper.runtime.client.EPDeployException;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import com.espertech.esper.runtime.client.EPUndeployException;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.logtext.PowersOfTen;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Esper runtime with the agent's event types and functions, and the rules deployed into it.
 *
 * <p>Time: with {@code externalClock} false the engine runs on processing time (Esper's internal timer), which is
 * what the live agent uses; with it true, time moves only through {@link #advanceTime}, which rule tests and
 * {@code rules test} drive from the events' own timestamps so results are deterministic.
 *
 * <p>Threads: {@link #send} is called by one pipeline thread; deploy and undeploy may come from any thread and are
 * serialized here. A rule that fails to compile is rejected with file, line and column, and whatever version of it
 * was running keeps running. A rule that throws while evaluating is counted and logged; other rules and the sender
 * carry on.
 */
public final class RuleEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
    /**
     * A system property set to {@code true} in the JVM that writes the start-up class archive
     * ({@code edge-agent class-archive}): the rule compiler then prepares its classes for the archive when it is
     * released, so that the next start maps them instead of loading them from the jars.
     */
    public static final String CLASS_ARCHIVE_WORKLOAD_PROPERTY = "edge-agent.class-archive.workload";

    private record Deployed(RuleDefinition rule, String deploymentId, RuleCounters counters, Cooldown cooldown,
                            long deployedNanos) {
    }

    private final String uri;
    private final EPRuntime runtime;
    private final FiringSink sink;
    private final RuleCompiler compiler;
    /** Whether this engine made its compiler, and so closes it. */
    private final boolean ownsCompiler;
    private final Map<String, Deployed> deployed = new ConcurrentHashMap<>();
    /** Rules that are known but disabled: kept so that enable brings them back without re-reading the file. */
    private final Map<String, RuleDefinition> disabled = new ConcurrentHashMap<>();
    /** Why the agent disabled a rule that its file enables (the time budget), until a person enables it again. */
    private final Map<String, String> disabledReasons = new ConcurrentHashMap<>();
    private RuleTimeBudget budget;

    public RuleEngine(Map<String, GeofenceConfig> geofences, boolean externalClock, FiringSink sink) {
        this(geofences, externalClock, sink, null);
    }

    /**
     * @param compiledCache a directory to keep compiled rules in across restarts (see {@link CompiledRuleCache}), or
     *        null to compile every rule every time (the offline commands)
     */
    public RuleEngine(Map<String, GeofenceConfig> geofences, boolean externalClock, FiringSink sink, Path compiledCache) {
        this(geofences, EventTypes.none(), externalClock, sink, compiledCache);
    }

    /**
     * @param declaredTypes the event types declared in the configuration, which rules can name besides Reading and
     *        Location
     */
    public RuleEngine(Map<String, GeofenceConfig> geofences, EventTypes declaredTypes, boolean externalClock,
                      FiringSink sink, Path compiledCache) {
        this(geofences, new RuleCompiler(geofences.keySet(), declaredTypes, compiledCache), true, externalClock, sink);
    }

    /**
     * An engine that deploys what {@code compiler} compiles, and leaves it open when closed: one compiler can serve
     * several engines. It must have been made for the same geofences and declared event types.
     */
    public RuleEngine(Map<String, GeofenceConfig> geofences, RuleCompiler compiler, boolean externalClock,
                      FiringSink sink) {
        this(geofences, compiler, false, externalClock, sink);
    }

    private RuleEngine(Map<String, GeofenceConfig> geofences, RuleCompiler compiler, boolean ownsCompiler,
                       boolean externalClock, FiringSink sink) {
        this.uri = "edge-agent-" + UUID.randomUUID();
        this.sink = sink;
        this.compiler = compiler;
        this.ownsCompiler = ownsCompiler;
        Configuration configuration = EsperConfiguration.create(externalClock, compiler.declaredTypes().types());
        RuntimeServices.create(geofences, new RuntimeErrors.Sink() {
            @Override
            public void ruleError(String rule, String deploymentId, String message) {
                onRuleError(rule, deploymentId, message);
            }

            @Override
            public void ruleLimit(String deploymentId, String limit) {
                onRuleLimit(deploymentId, limit);
            }
        }).addTo(configuration);
        EsperErrorLog.install();
        this.runtime = EPRuntimeProvider.getRuntime(uri, configuration);
        if (externalClock) {
            // With the internal timer disabled in the configuration the runtime is already on external time.
            runtime.getEventService().advanceTime(0);
        }
    }

    /**
     * Compiles a rule without deploying it: the check behind {@code rules validate} (see {@link RuleCompiler#compile}).
     *
     * @throws ConfigException with the rule file, line and column of each problem
     */
    public CompiledRule compile(RuleDefinition rule) throws ConfigException {
        return compiler.compile(rule);
    }

    /**
     * Compiles a rule and checks that its key and placeholders name columns it selects, without running it: the
     * check behind {@code rules validate}, {@code config check} and {@code rules add}. The output columns are known
     * only once Esper has deployed the statement, so it is deployed without a listener and undeployed again.
     *
     * @throws ConfigException with the rule file and line of each problem
     */
    public void check(RuleDefinition rule) throws ConfigException {
        CompiledRule compiled = compile(rule);
        if (rule.fieldReferences().isEmpty()) {
            return;
        }
        EPDeployment deployment;
        try {
            deployment = deploy(rule, compiled);
        } catch (EPDeployException e) {
            throw notDeployable(rule, e);
        }
        List<String> columns = outputColumns(deployment);
        undeployQuietly(rule, deployment.getDeploymentId());
        List<Problem> problems = RuleOutputCheck.problems(rule, columns);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The last statement is the rule's output; earlier ones (named windows, inserts) feed it. */
    private static EPStatement output(EPDeployment deployment) {
        EPStatement[] statements = deployment.getStatements();
        return statements[statements.length - 1];
    }

    private static List<String> outputColumns(EPDeployment deployment) {
        return List.of(output(deployment).getEventType().getPropertyNames());
    }

    private static ConfigException notDeployable(RuleDefinition rule, EPDeployException e) {
        return new ConfigException(List.of(new Problem(rule.source().toString(), rule.eplLine(), "epl", null,
                "Esper could not deploy the rule: " + e.getMessage())));
    }

    /** See {@link RuleCompiler#precompile}. */
    public RuleCompiler.Ahead precompile(List<RuleDefinition> rules) {
        return compiler.precompile(rules);
    }

    /** How many times Esper's compiler was loaded: 0 when every rule came from the compiled cache. */
    public long compilerLoads() {
        return compiler.compilerLoads();
    }

    /** Deletes compiled rules that no known rule (deployed or disabled) uses any more. */
    public void pruneCompiled() {
        compiler.pruneExcept(definitions().values());
    }

    /**
     * Deploys {@code rule}, replacing a running rule of the same name. A disabled rule is only remembered. The new
     * version is compiled before the old one is touched, so a rule that does not compile leaves the old one running.
     */
    public synchronized void deploy(RuleDefinition rule) throws ConfigException {
        Deployed running = deployed.get(rule.name());
        if (running != null && !running.rule().source().equals(rule.source())) {
            throw new ConfigException(List.of(new Problem(rule.source().toString(), 0, "name", rule.name(),
                    "a rule with this name is already deployed from " + running.rule().source()
                            + "; rule names must be unique")));
        }
        if (!rule.enabled()) {
            check(rule);
            undeploy(rule.name());
            disabled.put(rule.name(), rule);
            disabledReasons.remove(rule.name());
            LOG.info("Rule {} from {} is disabled; not deployed.", rule.name(), rule.source());
            return;
        }
        CompiledRule compiled = compile(rule);
        if (disabledReasons.containsKey(rule.name())) {
            if (rule.equals(disabled.get(rule.name()))) {
                // Reloading the same file does not undo the time budget; `rules enable` or a changed rule does.
                return;
            }
            disabledReasons.remove(rule.name());
        }
        if (running != null) {
            undeployQuietly(running);
        }
        try {
            EPDeployment deployment = deploy(rule, compiled);
            List<Problem> problems = RuleOutputCheck.problems(rule, outputColumns(deployment));
            if (!problems.isEmpty()) {
                undeployQuietly(rule, deployment.getDeploymentId());
                if (running != null) {
                    redeploy(running);
                }
                throw new ConfigException(problems);
            }
            RuleCounters counters = running == null ? new RuleCounters() : running.counters();
            Deployed entry = new Deployed(rule, deployment.getDeploymentId(), counters, new Cooldown(rule.cooldown()),
                    System.nanoTime());
            EsperErrorLog.deployed(owner(rule));
            output(deployment).addListener(
                    (newEvents, oldEvents, statement, rt) -> onMatch(entry, newEvents));
            deployed.put(rule.name(), entry);
            disabled.remove(rule.name());
            LOG.info("Rule {} deployed from {}.", rule.name(), rule.source());
        } catch (EPDeployException e) {
            if (running != null) {
                redeploy(running);
            }
            throw notDeployable(rule, e);
        }
    }

    /**
     * Deploys a compiled rule. Esper checks some values only when it deploys; should the module a rule shares with
     * others of its shape not deploy with this rule's values, the rule is compiled as written and deployed so.
     */
    private EPDeployment deploy(RuleDefinition rule, CompiledRule compiled) throws EPDeployException {
        try {
            return runtime.getDeploymentService().deploy(compiled.module(),
                    RuleClassLoader.deploymentOptions(owner(rule), compiled.parameters()));
        } catch (EPDeployException e) {
            if (compiled.parameters().isEmpty()) {
                throw e;
            }
            LOG.warn("Rule {}: its shared compiled form did not deploy with its values ({}); compiling it as written.",
                    rule.name(), e.getMessage());
            CompiledRule asWritten;
            try {
                asWritten = compiler.compileAsWritten(rule);
            } catch (ConfigException problems) {
                throw new EPDeployException(problems.getMessage(), problems, -1);
            }
            return runtime.getDeploymentService().deploy(asWritten.module(),
                    RuleClassLoader.deploymentOptions(owner(rule), asWritten.parameters()));
        }
    }

    private RuleClassLoader.Owner owner(RuleDefinition rule) {
        return new RuleClassLoader.Owner(uri, rule.name());
    }

    private void redeploy(Deployed previous) {
        try {
            deploy(previous.rule());
        } catch (ConfigException e) {
            LOG.error("Rule {} could not be restored after a failed update: {}", previous.rule().name(), e.getMessage());
        }
    }

    /** Stops and forgets a rule; no-op when it is not deployed. */
    public synchronized void undeploy(String name) {
        Deployed running = deployed.remove(name);
        disabled.remove(name);
        disabledReasons.remove(name);
        if (running != null) {
            undeployQuietly(running);
            LOG.info("Rule {} undeployed.", name);
        }
    }

    private void undeployQuietly(Deployed running) {
        undeployQuietly(running.rule(), running.deploymentId());
    }

    private void undeployQuietly(RuleDefinition rule, String deploymentId) {
        try {
            runtime.getDeploymentService().undeploy(deploymentId);
        } catch (EPUndeployException e) {
            LOG.warn("Rule {} could not be undeployed: {}", rule.name(), e.getMessage());
        }
    }

    /** Feeds one event to every deployed rule. Never throws for a rule's own failure. */
    public void send(Event event) {
        try {
            if (event instanceof DeclaredEvent declared) {
                runtime.getEventService().sendEventMap(declared.properties(), declared.kind());
            } else {
                runtime.getEventService().sendEventBean(event, event.kind());
            }
        } catch (RuntimeException e) {
            // Esper reports which statement failed only in the message; the per-rule count comes from onMatch.
            LOG.warn("A rule failed while evaluating event {} from {}: {}", event.id(), event.deviceId(), e.getMessage());
        }
    }

    /**
     * Moves engine time forward (external clock only). Steps through every timer due on the way, so a rule whose
     * timer falls between two events fires at its own time, not at the next event's.
     */
    public void advanceTime(long epochMillis) {
        if (epochMillis > runtime.getEventService().getCurrentTime()) {
            runtime.getEventService().advanceTimeSpan(epochMillis);
        }
    }

    public long currentTime() {
        return runtime.getEventService().getCurrentTime();
    }

    /**
     * The Esper statements of a deployed rule, in the order of its EPL; empty when the rule is not deployed. For
     * tests that look at what a rule keeps (the rows of its tables and named windows, through their iterators).
     */
    List<EPStatement> statements(String name) {
        Deployed entry = deployed.get(name);
        if (entry == null) {
            return List.of();
        }
        EPDeployment deployment = runtime.getDeploymentService().getDeployment(entry.deploymentId());
        return deployment == null ? List.of() : List.of(deployment.getStatements());
    }

    private void onMatch(Deployed entry, EventBean[] newEvents) {
        if (newEvents == null) {
            return;
        }
        for (EventBean bean : newEvents) {
            entry.counters().matched.incrementAndGet();
            try {
                Map<String, Object> fields = fields(bean);
                Object keyValue = fields.get(entry.rule().key());
                String key = keyValue == null ? "" : String.valueOf(keyValue);
                long now = runtime.getEventService().getCurrentTime();
                if (!entry.cooldown().tryAcquire(key, now)) {
                    entry.counters().suppressed.incrementAndGet();
                    continue;
                }
                entry.counters().fired.incrementAndGet();
                entry.counters().lastFired.set(now);
                sink.fired(entry.rule(), new RuleFiring(entry.rule().name(), key, fields, now));
            } catch (RuntimeException e) {
                entry.counters().errors.incrementAndGet();
                entry.counters().lastError.set(e.toString());
                LOG.warn("Rule {} failed to handle a match: {}", entry.rule().name(), e.toString());
            }
        }
    }

    /** A rule failed while evaluating an event: count it on the rule; the event goes on to the other rules. */
    private void onRuleError(String rule, String deploymentId, String message) {
        Deployed entry = deployed.values().stream()
                .filter(d -> d.rule().name().equals(rule) || d.deploymentId().equals(deploymentId))
                .findFirst().orElse(null);
        if (entry == null) {
            LOG.warn("A statement failed while evaluating an event: {}", message);
            return;
        }
        long errors = entry.counters().errors.incrementAndGet();
        entry.counters().lastError.set(message);
        // One line per error would flood the log at sensor rates; 1, 10, 100, ... keeps the trail visible.
        if (PowersOfTen.isPowerOfTen(errors)) {
            LOG.warn("Rule {} ({}) failed while evaluating an event ({} errors so far): {}", entry.rule().name(),
                    entry.rule().source(), errors, message);
        }
    }

    /** Esper refused to start a pattern instance or match-recognize state of a rule: count it; log 1, 10, 100... */
    private void onRuleLimit(String deploymentId, String limit) {
        Deployed entry = deployed.values().stream().filter(d -> d.deploymentId().equals(deploymentId)).findFirst()
                .orElse(null);
        if (entry == null) {
            return;
        }
        long refusals = entry.counters().limitRefusals.incrementAndGet();
        if (PowersOfTen.isPowerOfTen(refusals)) {
            LOG.warn("Rule {} ({}) reached Esper's limit of {}: new ones are refused until existing ones end "
                    + "({} refused so far).", entry.rule().name(), entry.rule().source(), limit, refusals);
        }
    }

    private static Map<String, Object> fields(EventBean bean) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String property : bean.getEventType().getPropertyNames()) {
            fields.put(property, bean.get(property));
        }
        return fields;
    }

    public List<RuleStatus> status() {
        Map<String, List<StatementMetrics>> metrics = statementMetrics();
        List<RuleStatus> all = new ArrayList<>();
        for (Deployed d : deployed.values()) {
            RuleCounters c = d.counters();
            all.add(new RuleStatus(d.rule().name(), d.rule().description(), d.rule().source().toString(), true,
                    c.matched.get(), c.fired.get(), c.suppressed.get(), c.errors.get(), c.lastFired.get(),
                    c.lastError.get(), metrics.getOrDefault(d.deploymentId(), List.of()), c.limitRefusals.get(),
                    null));
        }
        for (RuleDefinition r : disabled.values()) {
            all.add(new RuleStatus(r.name(), r.description(), r.source().toString(), false, 0, 0, 0, 0, 0, null,
                    List.of(), 0, disabledReasons.get(r.name())));
        }
        all.sort(java.util.Comparator.comparing(RuleStatus::name));
        return all;
    }

    /**
     * Esper's statement metrics by deployment id. Esper keeps the slots of undeployed statements, so only current
     * deployments are looked up by the caller.
     */
    private Map<String, List<StatementMetrics>> statementMetrics() {
        Map<String, List<StatementMetrics>> byDeployment = new java.util.HashMap<>();
        runtime.getMetricsService().iterateStatementGroups(group -> group.iterateStatements(statement -> {
            StatementMetric m = statement.getMetric();
            byDeployment.computeIfAbsent(m.getDeploymentId(), id -> new ArrayList<>()).add(new StatementMetrics(
                    m.getStatementName(), m.getNumInput(), m.getNumOutputIStream() + m.getNumOutputRStream(),
                    m.getWallTime(), Math.max(0, m.getCpuTime())));
        }));
        return byDeployment;
    }

    /** The definitions of every known rule, deployed or disabled, by name. */
    public Map<String, RuleDefinition> definitions() {
        Map<String, RuleDefinition> all = new java.util.TreeMap<>();
        deployed.values().forEach(d -> all.put(d.rule().name(), d.rule()));
        all.putAll(disabled);
        return all;
    }

    /**
     * Starts disabling rules that take more than {@code maxShare} of the pipeline's time, measured over
     * {@code window} (see {@link RuleTimeBudget}). Off until called; the offline commands never call it.
     */
    public synchronized void startTimeBudget(double maxShare, java.time.Duration window) {
        if (budget == null) {
            budget = new RuleTimeBudget(maxShare, window, this::wallNanosByRule, this::disableForBudget);
            budget.start();
        }
    }

    /** Each deployed rule's total statement wall time since its deploy, and when that deploy was (nanoTime). */
    private Map<String, long[]> wallNanosByRule() {
        Map<String, List<StatementMetrics>> metrics = statementMetrics();
        Map<String, long[]> byRule = new java.util.HashMap<>();
        for (Deployed d : deployed.values()) {
            long wall = metrics.getOrDefault(d.deploymentId(), List.of()).stream()
                    .mapToLong(StatementMetrics::wallNanos).sum();
            byRule.put(d.rule().name(), new long[] {wall, d.deployedNanos()});
        }
        return byRule;
    }

    /**
     * For the {@link HeapGuard}: disables the deployed rule whose statements took the most events since its deploy
     * (per-device state grows with what a rule takes in; Esper does not report state sizes). Its name, or empty.
     */
    public synchronized Optional<String> disableLargest(String reason) {
        Map<String, List<StatementMetrics>> metrics = statementMetrics();
        Optional<String> largest = deployed.values().stream().max(java.util.Comparator.comparingLong(
                d -> metrics.getOrDefault(d.deploymentId(), List.of()).stream().mapToLong(StatementMetrics::eventsIn)
                        .sum())).map(d -> d.rule().name());
        largest.ifPresent(name -> disableForBudget(name, reason));
        return largest;
    }

    /** Takes a rule out of the runtime until a person enables it again; its file is not touched. */
    private synchronized void disableForBudget(String name, String reason) {
        Deployed running = deployed.remove(name);
        if (running == null) {
            return;
        }
        undeployQuietly(running);
        disabled.put(name, running.rule());
        disabledReasons.put(name, reason);
        LOG.error("Rule {} ({}) disabled: {}; the other rules keep running. Fix it, then run "
                + "'edge-agent rules enable {}'.", name, running.rule().source(), reason, name);
    }

    /**
     * Brings back a rule the agent disabled ({@link RuleStatus#disabledReason}); false when it was not disabled
     * by the agent. What {@code rules enable} does when the rule file already enables the rule.
     */
    public synchronized boolean resume(String name) throws ConfigException {
        if (disabledReasons.remove(name) == null) {
            return false;
        }
        RuleDefinition rule = disabled.get(name);
        if (rule != null) {
            deploy(rule);
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (budget != null) {
                budget.close();
            }
        }
        if (ownsCompiler) {
            compiler.close();
        }
        runtime.destroy();
        EsperErrorLog.forget(uri);
    }
}
