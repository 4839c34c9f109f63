package io.edgeagent.simulator.cli;

import io.edgeagent.simulator.Durations;
import io.edgeagent.simulator.SimulatorStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints "sent, rate, errors, elapsed" once a second on its own named daemon thread: rewriting one line on a
 * terminal, one line per report otherwise (logs, pipes). Closing stops it and ends the line.
 */
final class ProgressLine implements AutoCloseable {

    private static final long PERIOD_MS = 1_000;

    private final SimulatorStats stats;
    private final PrintWriter err;
    private final Duration duration;
    private final boolean terminal = System.console() != null;
    private final long startNanos = System.nanoTime();
    private ScheduledExecutorService timer;

    ProgressLine(SimulatorStats stats, PrintWriter err, Duration duration) {
        this.stats = stats;
        this.err = err;
        this.duration = duration;
    }

    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulator-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void print() {
        String line = stats.publishing().map(this::progress).orElseGet(() -> "connecting ... "
                + Durations.format(seconds(Duration.ofNanos(System.nanoTime() - startNanos))));
        err.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
        err.flush();
    }

    /** The run's clock starts once connected, and a run never reports more than its own duration. */
    private String progress(Duration publishing) {
        Duration elapsed = seconds(duration.isZero() || publishing.compareTo(duration) < 0 ? publishing : duration);
        return String.format(Locale.ROOT, "sent %,d  %,.0f msg/s  errors %,d  %s%s", stats.messagesSent(),
                stats.currentRate(), stats.errors(), Durations.format(elapsed),
                duration.isZero() ? "" : " of " + Durations.format(duration));
    }

    private static Duration seconds(Duration d) {
        return Duration.ofSeconds(Math.round(d.toNanos() / 1e9));
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }
}
