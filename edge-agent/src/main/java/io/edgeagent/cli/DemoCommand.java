package io.edgeagent.cli;

import io.edgeagent.config.ConfigException;
import io.edgeagent.demo.Demo;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = {"Run everything in this process with no setup: an embedded MQTT broker, "
        + "simulated devices (cold rooms with a heat spike, a truck leaving the depot), and the agent with the example "
        + "rules, with a live view and a summary.",
        "Exit codes: 0 every expected detection was made, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to run (default: ${DEFAULT-VALUE}); Ctrl-C ends it early.")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, ConfigException {
        Demo demo = new Demo(duration, seed, spec.commandLine().getOut());
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.stop();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "edge-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return demo.run() ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down (Ctrl-C): the hook is running and waits for the summary above.
            }
        }
    }
}
