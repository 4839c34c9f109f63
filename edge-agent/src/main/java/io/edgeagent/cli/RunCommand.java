package io.edgeagent.cli;

import io.edgeagent.admin.AdminPortInUseException;
import io.edgeagent.agent.Agent;
import io.edgeagent.agent.StartAbandonedException;
import io.edgeagent.buffer.BufferException;
import io.edgeagent.config.AgentConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "run", description = {"Run the agent until SIGTERM or Ctrl-C.",
        "Exit codes: 143 after SIGTERM (a clean stop), 3 invalid configuration, 4 data directory in use, 6 admin "
                + "port in use, 70 a stage failed (systemd restarts the agent), 1 failure."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /** Covers the agent's staged stop (its stages' deadlines add up to less) within systemd's stop timeout. */
    private static final Duration HALT_AFTER = Duration.ofSeconds(25);

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig loaded = config.loadOrReport(spec.commandLine().getErr());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        routeJulToSlf4j();
        Agent agent = new Agent(loaded);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        agent.onFailure(reason -> {
            failure.compareAndSet(null, reason);
            stopped.countDown();
        });
        // Before start, so that SIGTERM during start-up (compiling rules, connecting) stops the agent in order: the
        // start gives up at its next stage and closes what it opened, instead of the JVM exiting around it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop();
            stopped.countDown();
        }, "edge-shutdown"));
        try {
            agent.start();
        } catch (StartAbandonedException e) {
            return ExitCodes.OK;
        } catch (BufferException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            return e.getMessage().contains("in use") ? ExitCodes.LOCKED : ExitCodes.FAILURE;
        } catch (AdminPortInUseException e) {
            LOG.error("Cannot start: {}.", e.getMessage());
            return ExitCodes.PORT_IN_USE;
        }
        stopped.await();
        if (failure.get() != null) {
            LOG.error("Stopping after a stage failed; exit code {} so that systemd restarts the agent.",
                    ExitCodes.STAGE_FAILED);
            haltIfStuck();
            agent.stop();
            return ExitCodes.STAGE_FAILED;
        }
        return ExitCodes.OK;
    }

    /** A JVM that failed (out of memory, a stuck thread) may not manage an orderly stop: make sure it still exits. */
    private static void haltIfStuck() {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER.toMillis());
                LOG.error("The orderly stop took longer than {} s; halting.", HALT_AFTER.toSeconds());
                Runtime.getRuntime().halt(ExitCodes.STAGE_FAILED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "edge-halt");
        halt.setDaemon(true);
        halt.start();
    }

    /** Paho logs through java.util.logging; route it to the same place as everything else. */
    static void routeJulToSlf4j() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
