package io.edgeagent.cli;

import io.edgeagent.agent.Agent;
import io.edgeagent.buffer.BufferException;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Problem;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "run", description = {"Run the agent until SIGTERM or Ctrl-C.",
        "Exit codes: 143 after SIGTERM (a clean stop), 3 invalid configuration, 4 data directory in use, 1 failure."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig loaded;
        try {
            loaded = config.load();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("edge-agent: invalid configuration, not starting.");
            for (Problem p : e.problems()) {
                spec.commandLine().getErr().println("  " + p.describe());
            }
            return ExitCodes.CONFIG;
        }
        routeJulToSlf4j();
        Agent agent = new Agent(loaded);
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            agent.start();
        } catch (BufferException e) {
            LOG.error("Cannot start: {}", e.getMessage());
            return e.getMessage().contains("in use") ? ExitCodes.LOCKED : ExitCodes.FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop();
            stopped.countDown();
        }, "edge-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    /** Paho logs through java.util.logging; route it to the same place as everything else. */
    static void routeJulToSlf4j() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
