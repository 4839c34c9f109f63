package io.edgeagent.rules;

import io.edgeagent.threads.NamedThreads;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disables a rule that takes more than its share of the pipeline's time for a sustained period, so one expensive
 * rule (a join of two unbounded windows) cannot slow ingest for everyone.
 *
 * <p>Every {@code window} it reads each rule's statement wall time (Esper's statement metrics, totals since the
 * rule's deploy) and compares what the rule spent since the last look with the time that passed: the pipeline is
 * one thread, so a rule that spent more than {@code maxShare} of the elapsed time took at least that share of the
 * pipeline. A rule deployed during the window is judged over the part it ran, once that part is at least half a
 * window, so a short burst right after a deploy is not "sustained". One named daemon thread, stopped by
 * {@link #close}.
 */
final class RuleTimeBudget implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleTimeBudget.class);

    private final double maxShare;
    private final Duration window;
    /** Rule name -> {total statement wall nanos since deploy, deploy time in System.nanoTime}. */
    private final Supplier<Map<String, long[]>> wallTimes;
    private final BiConsumer<String, String> disable;
    private final ScheduledExecutorService timer;
    private final Map<String, long[]> previous = new HashMap<>();
    private long lastCheck = System.nanoTime();

    RuleTimeBudget(double maxShare, Duration window, Supplier<Map<String, long[]>> wallTimes,
                   BiConsumer<String, String> disable) {
        this.maxShare = maxShare;
        this.window = window;
        this.wallTimes = wallTimes;
        this.disable = disable;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = NamedThreads.single("edge-rule-budget", task);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(this::checkSafely, window.toMillis(), window.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkSafely() {
        try {
            check(System.nanoTime());
        } catch (RuntimeException e) {
            // The budget must keep watching whatever one pass ran into.
            LOG.warn("Checking the rules' time budget failed: {}", e.toString());
        }
    }

    /** One look at every rule; {@code now} in System.nanoTime. */
    void check(long now) {
        Map<String, long[]> current = wallTimes.get();
        for (Map.Entry<String, long[]> rule : current.entrySet()) {
            long wall = rule.getValue()[0];
            long deployed = rule.getValue()[1];
            long[] before = previous.get(rule.getKey());
            // A rule redeployed since the last look starts again from its deploy.
            boolean sameDeploy = before != null && before[1] == deployed;
            long since = sameDeploy ? Math.max(lastCheck, deployed) : deployed;
            long spent = wall - (sameDeploy ? before[0] : 0);
            long elapsed = now - since;
            if (elapsed >= window.toNanos() / 2 && spent > maxShare * elapsed) {
                disable.accept(rule.getKey(), String.format(java.util.Locale.ROOT,
                        "it took %.0f%% of the pipeline's time over %.1f s (limit %.0f%%, rules.maxPipelineShare)",
                        100.0 * spent / elapsed, elapsed / 1e9, 100 * maxShare));
            }
        }
        previous.clear();
        previous.putAll(current);
        lastCheck = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
