package io.edgeagent.demo;

import io.edgeagent.agent.Agent;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Placeholders;
import io.edgeagent.simulator.SimulationSummary;
import io.edgeagent.simulator.Simulator;
import io.edgeagent.simulator.SimulatorOptions;
import io.edgeagent.simulator.scenario.ExpectedDetection;
import io.edgeagent.simulator.scenario.Scenario;
import io.edgeagent.simulator.scenario.Scenarios;
import io.edgeagent.threads.NamedThreads;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The zero-setup demo: an embedded broker, the device simulator's {@code demo} scenario, and the agent with the
 * example configuration and rules, all in this JVM, with a live view and a summary that checks the scenario's
 * expected detections. Everything it writes goes to a temporary directory that is deleted at the end.
 */
public final class Demo {

    public static final String SCENARIO = "demo";
    /** Firings and actions are what a newcomer should watch; the counters come back only now and then. */
    private static final Duration STATUS_EVERY = Duration.ofSeconds(5);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(3);

    private final Duration duration;
    private final long seed;
    private final PrintWriter out;
    private final CountDownLatch stop = new CountDownLatch(1);

    public Demo(Duration duration, long seed, PrintWriter out) {
        this.duration = duration;
        this.seed = seed;
        this.out = out;
    }

    /** Ends the demo early (Ctrl-C); {@link #run} then prints its summary and returns. */
    public void stop() {
        stop.countDown();
    }

    /** @return true when every detection the scenario expects was made */
    public boolean run() throws InterruptedException, ConfigException {
        Scenario scenario = Scenarios.load(SCENARIO);
        Path work = createWorkDirectory();
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            ExampleFiles.writeRules(work.resolve("rules"));
            AgentConfig example = new ConfigLoader(Placeholders.fromSystem()).parse("examples/config.yaml",
                    ExampleFiles.config(), work);
            AgentConfig config = example.withBroker(example.broker().withUrl(broker.url()).withClientId("edge-agent-demo"))
                    .withAdmin(new io.edgeagent.config.AdminConfig(false, "127.0.0.1", 0, null));
            printHeader(broker.url(), scenario);
            DemoConsole console = new DemoConsole(out);
            Agent agent = new Agent(config, console, console);
            try {
                agent.start();
                if (!agent.awaitConnected(Duration.ofSeconds(10))) {
                    out.println("The agent could not connect to the embedded broker; giving up.");
                    return false;
                }
                SimulationSummary simulated = simulate(broker.url(), agent, console);
                waitForDrain(agent, simulated);
                printSummary(scenario, agent, console, simulated);
                return expectationsMet(scenario, console);
            } finally {
                agent.stop();
            }
        } finally {
            deleteRecursively(work);
        }
    }

    /** What runs, which rules the scenario exercises and which stay quiet, and what the lines that follow mean. */
    private void printHeader(String brokerUrl, Scenario scenario) {
        Set<String> exercised = new TreeSet<>();
        scenario.expect().detections().forEach(d -> exercised.add(d.rule()));
        List<String> quiet = ExampleFiles.RULES.stream().filter(r -> !exercised.contains(r)).toList();
        out.printf("edge-agent demo: embedded MQTT broker at %s, simulator scenario '%s' (seed %d), %d s; Ctrl-C "
                + "stops early.%n", brokerUrl, SCENARIO, seed, duration.toSeconds());
        out.printf("%d example rules loaded; this scenario should trigger %d of them: %s.%n", ExampleFiles.RULES.size(),
                exercised.size(), String.join(", ", exercised));
        if (!quiet.isEmpty()) {
            out.printf("The other %d (%s) watch for situations this scenario does not create.%n", quiet.size(),
                    String.join(", ", quiet));
        }
        out.printf("FIRED: a rule matched (rule, device, selected values); ->: the action it ran; a status line every "
                + "%d s.%n%n", STATUS_EVERY.toSeconds());
    }

    private SimulationSummary simulate(String brokerUrl, Agent agent, DemoConsole console) throws InterruptedException {
        SimulatorOptions options = SimulatorOptions.builder().broker(brokerUrl).scenario(SCENARIO).seed(seed)
                .duration(duration).clientId("edge-demo-simulator").build();
        AtomicReference<SimulationSummary> summary = new AtomicReference<>();
        try (Simulator simulator = new Simulator(options)) {
            Thread thread = NamedThreads.single("edge-demo-simulator", () -> {
                summary.set(simulator.run());
                stop.countDown();
            });
            thread.setDaemon(true);
            console.simulatorStarted();
            thread.start();
            long lastEvents = 0;
            long deadline = System.nanoTime() + duration.toNanos();
            while (!stop.await(STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                long events = agent.counters().events();
                console.status(events, (events - lastEvents) * 1000.0 / STATUS_EVERY.toMillis(),
                        agent.counters().decodeErrors());
                lastEvents = events;
            }
            simulator.stop();
            thread.join(DRAIN_WAIT.toMillis());
        }
        return summary.get();
    }

    /**
     * Until every message the simulator published has reached the agent and left its queue (or {@link #DRAIN_WAIT}
     * passed): the broker acknowledges the simulator's last messages before it has forwarded them, and a summary
     * taken then counted one message short.
     */
    private static void waitForDrain(Agent agent, SimulationSummary simulated) throws InterruptedException {
        long published = simulated == null ? 0 : simulated.messagesSent();
        long deadline = System.nanoTime() + DRAIN_WAIT.toNanos();
        while ((agent.counters().messages() < published || agent.queueDepth() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private void printSummary(Scenario scenario, Agent agent, DemoConsole console, SimulationSummary simulated) {
        out.println();
        out.println("Summary");
        if (simulated != null) {
            out.printf("  simulator published %d messages (%d errors)%n", simulated.messagesSent(), simulated.errors());
        }
        out.printf("  agent received      %d messages: %d events stored durably, %d dead letters%n",
                agent.counters().messages(), agent.counters().events(), agent.counters().decodeErrors());
        out.printf("  rules fired         %d times%s%n", console.fired(), byRule(console.firingsByRule()));
        out.printf("  actions             %d ok, %d failed%n", console.actionsOk(), console.actionsFailed());
        out.printf("  buffer              %d events waiting for upload (the demo has no uplink)%n", agent.buffer().depth());
        List<String> silent = ExampleFiles.RULES.stream().filter(r -> !console.firingsByRule().containsKey(r)).toList();
        if (!silent.isEmpty()) {
            out.printf("  did not fire        %s%n", String.join(", ", silent));
        }
        out.printf("  scenario '%s' expects:%n", scenario.name());
        for (ExpectedDetection expected : scenario.expect().detections()) {
            Long at = console.firstFiring(expected.rule(), expected.device());
            boolean inTime = at != null && (expected.within() == null || at <= expected.within().toMillis() + 2000);
            out.printf("    [%s] %-26s %-18s %s%n", inTime ? "x" : " ", expected.rule(), expected.device(),
                    at == null ? "did not fire" : String.format("fired at %.1f s", at / 1000.0));
        }
        out.flush();
    }

    private static String byRule(Map<String, AtomicLong> firings) {
        StringBuilder text = new StringBuilder();
        firings.forEach((rule, count) -> text.append(text.length() == 0 ? ": " : ", ").append(rule).append(' ')
                .append(count.get()));
        return text.toString();
    }

    private static boolean expectationsMet(Scenario scenario, DemoConsole console) {
        return scenario.expect().detections().stream()
                .allMatch(e -> console.firstFiring(e.rule(), e.device()) != null);
    }

    private static Path createWorkDirectory() {
        try {
            return Files.createTempDirectory("edge-agent-demo");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the demo", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }
}
