package io.edgeagent.pipeline;

import io.edgeagent.threads.NamedThreads;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the pipeline thread ({@code edge-pipeline}) and watches it from {@code edge-pipeline-watchdog}. If the thread
 * dies (only an error that leaves the JVM unusable gets that far) or one batch takes longer than the stall timeout
 * (a rule caught in a loop), the supervisor reports the pipeline failed at once, so {@code /ready} turns false, logs
 * one line that says where the thread was, and tells its owner, which stops the agent with an exit code that systemd
 * restarts. A stuck thread cannot be restarted in place, and a JVM after an out-of-memory error should not be trusted;
 * the restart is clean, and the {@link InflightJournal} keeps the message that caused it from causing it again.
 */
public final class PipelineSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineSupervisor.class);
    private static final long CHECK_EVERY_MS = 250;
    private static final int STACK_FRAMES_LOGGED = 6;

    private final Pipeline pipeline;
    private final long stallNanos;
    private final Consumer<String> onFailure;
    private final Thread thread;
    private final ScheduledExecutorService watchdog = new ScheduledThreadPoolExecutor(1,
            new NamedThreads("edge-pipeline-watchdog"));
    private volatile boolean stopping;
    private volatile PipelineHealth failure;

    /** @param onFailure told once, from the pipeline or the watchdog thread, with a one-line reason */
    public PipelineSupervisor(Pipeline pipeline, Duration stallTimeout, Consumer<String> onFailure) {
        this.pipeline = pipeline;
        this.stallNanos = stallTimeout.toNanos();
        this.onFailure = onFailure;
        this.thread = NamedThreads.single("edge-pipeline", this::runPipeline);
    }

    public void start() {
        thread.start();
        watchdog.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    public PipelineHealth health() {
        PipelineHealth failed = failure;
        return failed != null ? failed : pipeline.health();
    }

    private void runPipeline() {
        try {
            pipeline.run();
            if (!stopping) {
                fail("the pipeline thread ended while the agent was running");
            }
        } catch (RuntimeException | Error e) {
            fail("the pipeline thread died: " + Faults.describe(e));
        }
    }

    private void check() {
        long busy = pipeline.busyNanos();
        if (busy > stallNanos && !stopping) {
            fail("one batch has been in progress for " + TimeUnit.NANOSECONDS.toSeconds(busy) + " s (stall timeout "
                    + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s); the pipeline thread is at " + where());
        }
    }

    private String where() {
        return Arrays.stream(thread.getStackTrace()).limit(STACK_FRAMES_LOGGED).map(StackTraceElement::toString)
                .collect(Collectors.joining(" < "));
    }

    private synchronized void fail(String reason) {
        if (failure != null) {
            return;
        }
        failure = PipelineHealth.failed(reason, System.currentTimeMillis());
        LOG.error("Pipeline failed: {}. Nothing it was working on was acknowledged; the agent stops so that it is "
                + "restarted, and the message involved is dead-lettered if it fails again.", reason);
        onFailure.accept(reason);
    }

    /** Lets the pipeline drain and acknowledge, within the deadline; then interrupts it (the broker redelivers). */
    public void stop(Duration deadline) {
        stopping = true;
        watchdog.shutdownNow();
        pipeline.stop();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(deadline.toMillis());
            if (thread.isAlive()) {
                LOG.warn("The pipeline did not drain within {} s; interrupting it. Unacknowledged messages will be "
                        + "redelivered by the broker.", deadline.toSeconds());
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
