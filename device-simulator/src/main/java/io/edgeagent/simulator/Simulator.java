package io.edgeagent.simulator;

import io.edgeagent.simulator.internal.MessageSource;
import io.edgeagent.simulator.internal.MqttPublisher;
import io.edgeagent.simulator.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a simulation against a broker. {@link #run()} drives every device from the calling thread (one priority queue
 * of next-send times, so thousands of devices need no threads of their own) over {@link SimulatorOptions#connections()}
 * MQTT connections; each device always uses the same connection, so its messages arrive in the order it sends them.
 * Never prints; progress is in {@link #stats()}, the result in the returned {@link SimulationSummary}.
 *
 * <p>Thread safety: call {@link #run()} once, from one thread; {@link #stop()}, {@link #stats()} and
 * {@link #close()} from any thread.
 */
public final class Simulator implements AutoCloseable {

    private final SimulatorOptions opts;
    private final SimulatorStats stats = new SimulatorStats();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile Thread runner;

    public Simulator(SimulatorOptions opts) {
        this.opts = opts;
    }

    /**
     * The messages a run with these options publishes, in order, computed without a broker: the same options give
     * the same list. Timestamps start at {@link SimulatorOptions#startTime()} (set it for byte-identical payloads;
     * otherwise the current time), and the list covers the options' duration, ignoring max-rate mode and the message
     * limit.
     *
     * @throws IllegalArgumentException when the duration is zero ("until stopped")
     */
    public static List<PlannedMessage> plan(SimulatorOptions opts) {
        if (opts.duration().isZero()) {
            throw new IllegalArgumentException("a plan needs a finite duration, but the options run until stopped");
        }
        Instant start = opts.startTime().orElseGet(Instant::now);
        return source(opts, start::plusNanos).until(opts.duration());
    }

    /**
     * Connects and publishes until the duration has passed, the message limit is reached or {@link #stop()} is
     * called, then waits (at most the connect timeout) for outstanding confirmations and disconnects.
     *
     * @throws SimulatorException    when the broker cannot be reached or refuses the connection
     * @throws IllegalStateException when called a second time
     */
    public SimulationSummary run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Simulator runs once; create a new one for another run");
        }
        runner = Thread.currentThread();
        List<MqttPublisher> publishers = new ArrayList<>();
        try {
            for (int i = 0; i < opts.connections(); i++) {
                String clientId = opts.connections() == 1 ? opts.clientId() : opts.clientId() + "-" + (i + 1);
                MqttPublisher publisher = new MqttPublisher(opts, clientId, stats::recordSent, stats::recordError);
                publishers.add(publisher);
                publisher.connect(() -> stopRequested);
            }
            return publish(publishers);
        } finally {
            publishers.forEach(MqttPublisher::close);
            runner = null;
        }
    }

    /** Ends a running {@link #run()} soon; harmless before or after it. */
    public void stop() {
        stopRequested = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Live counters; valid before, during and after the run. */
    public SimulatorStats stats() {
        return stats;
    }

    /** Stops a run in progress; the run's own thread disconnects the clients before {@link #run()} returns. */
    @Override
    public void close() {
        stop();
    }

    private SimulationSummary publish(List<MqttPublisher> publishers) {
        long startNanos = System.nanoTime();
        stats.publishingFrom(startNanos);
        Instant start = opts.startTime().orElseGet(Instant::now);
        // Paced runs stamp each message with its scheduled time, so a seeded run repeats byte for byte given the same
        // start time; max-rate runs outpace the schedule and stamp the time of sending instead.
        MessageSource source = source(opts, opts.maxRate()
                ? ignored -> start.plusNanos(System.nanoTime() - startNanos) : start::plusNanos);
        long limitNanos = opts.duration().isZero() ? Long.MAX_VALUE : opts.duration().toNanos();
        while (!stopRequested && (opts.maxMessages() == 0 || stats.messagesPublished() < opts.maxMessages())) {
            PlannedMessage m = source.next();
            long offset = m.offset().toNanos();
            long elapsed = System.nanoTime() - startNanos;
            if ((opts.maxRate() ? elapsed : offset) >= limitNanos) {
                break;
            }
            if (!opts.maxRate() && !waitUntil(startNanos + offset)) {
                break;
            }
            MqttPublisher publisher = publishers.get(Math.floorMod(m.deviceId().hashCode(), publishers.size()));
            stats.recordPublished(m.kind());
            publisher.publish(m.topic(), m.payload());
        }
        boolean stoppedEarly = stopRequested;
        awaitConfirmations(publishers);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        long sent = stats.messagesSent();
        return new SimulationSummary(opts.scenario().map(Scenario::name).orElse("none"), opts.seed(),
                source.deviceCount(), opts.format(), opts.maxRate(), stats.messagesPublished(), sent, stats.errors(),
                stats.published(MessageKind.MALFORMED), stats.published(MessageKind.DUPLICATE),
                stats.published(MessageKind.OUT_OF_ORDER), elapsed,
                elapsed.isZero() ? 0 : sent * 1e9 / elapsed.toNanos(), stoppedEarly, stats.lastError().orElse(null));
    }

    /** Parks until the deadline; false when the run was stopped meanwhile. */
    private boolean waitUntil(long deadlineNanos) {
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            if (stopRequested) {
                return false;
            }
            LockSupport.parkNanos(this, left);
        }
        return !stopRequested;
    }

    private void awaitConfirmations(List<MqttPublisher> publishers) {
        for (MqttPublisher publisher : publishers) {
            try {
                if (!publisher.awaitConfirmations(opts.connectTimeout())) {
                    int missing = publisher.unconfirmed();
                    for (int i = 0; i < missing; i++) {
                        stats.recordError("no confirmation within " + opts.connectTimeout().toSeconds()
                                + " s after the run ended");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static MessageSource source(SimulatorOptions opts, LongFunction<Instant> timestamps) {
        return new MessageSource(opts.scenario().orElse(null), opts.devices(), opts.rate(), opts.seed(),
                opts.format(), timestamps);
    }
}
