package io.edgeagent.rules;

import io.edgeagent.threads.NamedThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps rule state from running the heap out: an OutOfMemoryError crashes the agent, and after a restart the same
 * devices fill the same state again, a crash loop in which ingest and storage stop too. When the heap's old
 * generation is still above {@link #DEFAULT_THRESHOLD} of its maximum after a collection (the JVM's collection-usage
 * threshold, which only live data can cross), the guard disables one rule and its state goes with it: the rule that
 * took the most events, since per-device state grows with the devices and readings a rule takes in. One more after
 * each later collection that is still above, at most one per {@link #CHECK_EVERY_MS} ms, so the heap settles between
 * two. One log line per rule disabled (the engine's, with the reason); ingest, storage and the other rules keep
 * running.
 *
 * <p>One named daemon thread, stopped by {@link #close}. Without a heap pool that supports the threshold (none of the
 * JDK's collectors lacks one) the guard logs that it is off.
 */
public final class HeapGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeapGuard.class);
    /** Live data above this share of the old generation after a collection leaves too little to work in. */
    public static final double DEFAULT_THRESHOLD = 0.85;
    static final long CHECK_EVERY_MS = 1000;

    private final MemoryPoolMXBean pool;
    private final double threshold;
    private final Function<String, Optional<String>> disableLargest;
    private final ScheduledExecutorService timer;
    private final List<String> disabled = new ArrayList<>();
    private long seenCrossings;
    private boolean exhausted;

    /**
     * @param disableLargest disables the rule with the most state, with the given reason; returns its name, empty
     *                       when no rule is left to disable
     */
    public HeapGuard(double threshold, Function<String, Optional<String>> disableLargest) {
        this.threshold = threshold;
        this.disableLargest = disableLargest;
        this.pool = oldGeneration().orElse(null);
        if (pool == null) {
            LOG.warn("No heap pool reports its usage after collections; the heap guard is off.");
            this.timer = null;
            return;
        }
        pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * threshold));
        this.seenCrossings = pool.getCollectionUsageThresholdCount();
        this.timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("edge-heap-guard"));
        timer.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** The heap pool that holds what survives collections: of those with a collection-usage threshold, the largest. */
    private static Optional<MemoryPoolMXBean> oldGeneration() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                        && p.getUsage().getMax() > 0)
                .max(Comparator.comparingLong(p -> p.getUsage().getMax()));
    }

    private void check() {
        long crossings = pool.getCollectionUsageThresholdCount();
        if (crossings == seenCrossings || !pool.isCollectionUsageThresholdExceeded()) {
            seenCrossings = crossings;
            return;
        }
        seenCrossings = crossings;
        MemoryUsage after = pool.getCollectionUsage();
        String percent = Math.round(100.0 * after.getUsed() / after.getMax()) + "%";
        // The engine's log line for the disabled rule carries this reason: one line per rule.
        Optional<String> rule = disableLargest.apply("the heap was " + percent + " full after a collection (heap "
                + "guard at " + Math.round(threshold * 100) + "%) and this rule took the most events; its state is "
                + "released, ingest and storage keep running; give the agent more heap (docs/operations.md, sizing)");
        synchronized (this) {
            if (rule.isPresent()) {
                disabled.add(rule.get());
            } else if (!exhausted) {
                exhausted = true;
                LOG.error("Heap {} full after a collection and no rule is left to disable: what holds the heap is not "
                        + "rule state. Give the agent more heap (docs/operations.md, sizing).", percent);
            }
        }
    }

    /** The rules this guard disabled, in order, for status and metrics. */
    public synchronized List<String> disabledRules() {
        return List.copyOf(disabled);
    }

    /** The old generation's use after the last collection, as a share of its maximum; 0 when unknown. */
    public double usedAfterCollection() {
        MemoryUsage after = pool == null ? null : pool.getCollectionUsage();
        return after == null || after.getMax() <= 0 ? 0 : (double) after.getUsed() / after.getMax();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
