package io.edgeagent.actions;

import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.ActionsConfig;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.metrics.Histogram;
import io.edgeagent.threads.NamedThreads;
import io.edgeagent.logtext.PowersOfTen;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actions of fired rules on a bounded pool. {@link #dispatch} never blocks: the rule engine calls it on the
 * pipeline thread, and a slow webhook must not stall ingest. A firing is refused (counted and logged) when the queue
 * is full or its rule already has {@code actions.maxRunsPerRule} runs queued or running; it is dropped as a duplicate
 * (counted) while a run of the same rule and key is queued or running, so a rule firing again and again for one
 * device starts one workflow, not hundreds.
 *
 * <p>Each accepted firing becomes one run in the {@link ActionLog}; its steps run in order through the
 * {@link WorkflowRunner}. Failed runs can be retried with {@link #retry}.
 */
public final class ActionDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActionDispatcher.class);

    private final ThreadPoolExecutor pool;
    private final ActionsConfig config;
    private final ActionLog log;
    private final WorkflowRunner runner;
    private final Function<String, Optional<RuleDefinition>> rules;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Semaphore> perRule = new ConcurrentHashMap<>();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Each kind of refusal has its own log throttle, so that one does not hide the first of the other. */
    private final AtomicLong refusedAtRuleLimit = new AtomicLong();
    private final AtomicLong refusedQueueFull = new AtomicLong();
    private final AtomicLong deduplicated = new AtomicLong();
    private final AtomicLong runsSucceeded = new AtomicLong();
    private final AtomicLong runsFailed = new AtomicLong();
    private final Histogram startLatency = new Histogram();

    /**
     * @param acks     where {@code await} steps wait for acknowledgements
     * @param emits    where {@code emit} steps put derived events
     * @param log      the run record; owned by the caller, who closes it after this dispatcher
     * @param rules    finds a rule's current definition by name, for {@link #retry}
     * @param listener told about every finished step
     */
    public ActionDispatcher(ActionsConfig config, CommandPublisher publisher, AckSource acks, EmitSink emits,
                            ActionLog log, Function<String, Optional<RuleDefinition>> rules, ActionListener listener) {
        this.config = config;
        this.log = log;
        this.rules = rules;
        ActionListener counting = result -> {
            (result.succeeded() ? succeeded : failed).incrementAndGet();
            listener.finished(result);
        };
        this.runner = new WorkflowRunner(publisher, acks, emits, config.execAllowlist(), config.workflows(), log, counting);
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), new NamedThreads("edge-action"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    public void dispatch(RuleDefinition rule, RuleFiring firing) {
        dispatch(rule, firing, 0);
    }

    /**
     * @param receivedMillis when the agent took the message that made the rule fire off the broker (epoch millis), or
     *                       0 when no message did (a timer fired the rule): the start of {@link #startLatency()}
     */
    public void dispatch(RuleDefinition rule, RuleFiring firing, long receivedMillis) {
        if (rule.actions().isEmpty()) {
            return;
        }
        String runKey = rule.name() + '\u0000' + firing.key();
        if (!inFlight.add(runKey)) {
            long count = deduplicated.incrementAndGet();
            LOG.debug("Rule {} fired for {} while its previous run is still going; not started again ({} so far).",
                    rule.name(), firing.key(), count);
            return;
        }
        Semaphore slots = perRule.computeIfAbsent(rule.name(), n -> new Semaphore(config.maxRunsPerRule()));
        if (!slots.tryAcquire()) {
            inFlight.remove(runKey);
            rejected.incrementAndGet();
            long count = refusedAtRuleLimit.incrementAndGet();
            if (PowersOfTen.isPowerOfTen(count)) {
                LOG.warn("Rule {} already has {} action runs queued or running (actions.maxRunsPerRule); its actions for "
                        + "{} were not run ({} refused at a rule's limit so far; logged at the 1st, 10th, 100th, ...).",
                        rule.name(), config.maxRunsPerRule(), firing.key(), count);
            }
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    if (receivedMillis > 0) {
                        startLatency.observe((System.currentTimeMillis() - receivedMillis) / 1000.0);
                    }
                    long id = log.start(rule.name(), firing.key(), firing.fields(), 0);
                    count(runner.run(id, rule.name(), firing.key(), firing.fields(), rule.actions()));
                } finally {
                    inFlight.remove(runKey);
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(runKey);
            slots.release();
            rejected.incrementAndGet();
            long count = refusedQueueFull.incrementAndGet();
            if (PowersOfTen.isPowerOfTen(count)) {
                LOG.warn("Action queue is full; the actions of rule {} for {} were not run ({} refused so far; logged at "
                        + "the 1st, 10th, 100th, ...).", rule.name(), firing.key(), count);
            }
        }
    }

    /**
     * Runs a recorded run's rule again, with the recorded fields and the rule's current steps, as a new run whose
     * {@code retryOf} is {@code id}. Returns at once.
     *
     * @return the new run's id, or empty when there is no run {@code id}
     * @throws IllegalStateException when the run is still running, its rule is gone, or the queue is full
     */
    public Optional<Long> retry(long id) {
        Optional<ActionRun> found = log.run(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ActionRun previous = found.get();
        if (previous.status().equals(ActionRun.RUNNING)) {
            throw new IllegalStateException("action run " + id + " is still running");
        }
        RuleDefinition rule = rules.apply(previous.rule()).orElseThrow(() -> new IllegalStateException(
                "rule " + previous.rule() + " of action run " + id + " is no longer loaded"));
        List<ActionSpec> steps = rule.actions();
        long newId = log.start(rule.name(), previous.key(), previous.fields(), id);
        try {
            pool.execute(() -> count(runner.run(newId, rule.name(), previous.key(), previous.fields(), steps)));
        } catch (RejectedExecutionException e) {
            log.finish(newId, ActionRun.FAILED, "refused: the action queue is full");
            throw new IllegalStateException("the action queue is full; try again later");
        }
        LOG.info("Action run {} of rule {} for {} is retried as run {}.", id, rule.name(), previous.key(), newId);
        return Optional.of(newId);
    }

    private void count(WorkflowRunner.Outcome outcome) {
        (outcome.succeeded() ? runsSucceeded : runsFailed).incrementAndGet();
    }

    /** From the agent taking a message off the broker to the start of the action run of the rule it made fire. */
    public Histogram startLatency() {
        return startLatency;
    }

    public ActionLog log() {
        return log;
    }

    /** Steps that succeeded. */
    public long succeeded() {
        return succeeded.get();
    }

    /** Step attempts that ended failed (after their retries). */
    public long failed() {
        return failed.get();
    }

    /** Firings refused: queue full or the rule at its limit. */
    public long rejected() {
        return rejected.get();
    }

    /** Firings dropped because a run for the same rule and key was still queued or running. */
    public long deduplicated() {
        return deduplicated.get();
    }

    public long runsSucceeded() {
        return runsSucceeded.get();
    }

    /** Runs that failed or were interrupted. */
    public long runsFailed() {
        return runsFailed.get();
    }

    /** Runs what is queued, up to {@code deadline}; then interrupts what is still running (marked interrupted). */
    public void close(Duration deadline) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                int dropped = pool.shutdownNow().size();
                LOG.warn("Actions did not finish within {} ms; running ones are interrupted and {} queued firings were "
                        + "not run.", deadline.toMillis(), dropped);
                pool.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
