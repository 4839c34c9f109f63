package io.edgeagent.simulator;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a running simulation. Thread-safe: the simulator updates them from its own and the MQTT client's
 * threads while any thread reads them. "Sent" means confirmed: acknowledged by the broker at QoS 1 and 2, written
 * to the socket at QoS 0.
 */
public final class SimulatorStats {

    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    private final LongAdder published = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder[] byKind = new LongAdder[MessageKind.values().length];
    private final long startNanos = System.nanoTime();
    private volatile String lastError;
    private volatile long publishingSinceNanos;
    private long windowStartNanos = startNanos;
    private long windowStartCount;
    private double windowRate;

    SimulatorStats() {
        for (int i = 0; i < byKind.length; i++) {
            byKind[i] = new LongAdder();
        }
    }

    /** Every connection is up and the run's clock starts now ({@link System#nanoTime()}). */
    void publishingFrom(long nanos) {
        publishingSinceNanos = nanos;
    }

    /** How long the run has been publishing: its clock, which starts once connected; empty while connecting. */
    public Optional<Duration> publishing() {
        long since = publishingSinceNanos;
        return since == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - since));
    }

    /** Messages handed to the MQTT client, including those not yet confirmed. */
    public long messagesPublished() {
        return published.sum();
    }

    /** Messages the broker confirmed. */
    public long messagesSent() {
        return sent.sum();
    }

    /** Messages that could not be published or were not confirmed. */
    public long errors() {
        return errors.sum();
    }

    /** Messages of a kind handed to the MQTT client, e.g. how many malformed payloads went out. */
    public long published(MessageKind kind) {
        return byKind[kind.ordinal()].sum();
    }

    /** The most recent error's description, if any. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Confirmed messages per second over the latest window of at least a second (or since the start, until a
     * second has passed). Reading it moves the window, so callers polling it see the rate since their last poll.
     */
    public synchronized double currentRate() {
        long now = System.nanoTime();
        long count = sent.sum();
        long elapsed = now - windowStartNanos;
        if (elapsed >= RATE_WINDOW_NANOS || windowStartNanos == startNanos) {
            windowRate = elapsed == 0 ? 0 : (count - windowStartCount) * 1e9 / elapsed;
        }
        if (elapsed >= RATE_WINDOW_NANOS) {
            windowStartNanos = now;
            windowStartCount = count;
        }
        return windowRate;
    }

    void recordPublished(MessageKind kind) {
        published.increment();
        byKind[kind.ordinal()].increment();
    }

    void recordSent() {
        sent.increment();
    }

    void recordError(String description) {
        errors.increment();
        lastError = description;
    }
}
