package io.edgeagent.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations in seconds counted into fixed buckets, the way Prometheus histograms are: lock-free, so the pipeline,
 * action and uplink threads observe without waiting for a scrape.
 */
public final class Histogram {

    /** From 1 ms to 10 s: the range between a local action and a slow upload over a poor link. */
    public static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Cumulative counts per upper bound, the last one for +Inf, with the sum of every observation. */
    public record Snapshot(double[] upperBounds, long[] cumulativeCounts, double sum) {
        public long count() {
            return cumulativeCounts[cumulativeCounts.length - 1];
        }
    }

    private final double[] upperBounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder observations = new LongAdder();

    public Histogram() {
        this(SECONDS);
    }

    public Histogram(double[] upperBounds) {
        for (int i = 1; i < upperBounds.length; i++) {
            if (upperBounds[i] <= upperBounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: " + upperBounds[i - 1] + ", "
                        + upperBounds[i]);
            }
        }
        this.upperBounds = upperBounds.clone();
        this.counts = new AtomicLongArray(upperBounds.length + 1);
    }

    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    public void observe(double seconds) {
        double value = Math.max(0, seconds);
        int bucket = 0;
        while (bucket < upperBounds.length && value > upperBounds[bucket]) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        sum.add(value);
        observations.increment();
    }

    public long count() {
        return observations.sum();
    }

    /** Read while observations go on: each bucket is exact, the whole is as of about the same moment. */
    public Snapshot snapshot() {
        long[] cumulative = new long[counts.length()];
        long running = 0;
        for (int i = 0; i < cumulative.length; i++) {
            running += counts.get(i);
            cumulative[i] = running;
        }
        return new Snapshot(upperBounds.clone(), cumulative, sum.sum());
    }
}
