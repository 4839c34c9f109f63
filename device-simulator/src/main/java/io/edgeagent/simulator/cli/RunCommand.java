package io.edgeagent.simulator.cli;

import io.edgeagent.simulator.PayloadFormat;
import io.edgeagent.simulator.SimulationSummary;
import io.edgeagent.simulator.Simulator;
import io.edgeagent.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code device-simulator run}: builds the options, runs with a progress line, prints the summary. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Publish simulated device messages to an MQTT broker.", sortOptions = false)
final class RunCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for the run to confirm its last messages and print the summary. */
    private static final long SHUTDOWN_WAIT_S = 15;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--broker", paramLabel = "URI", defaultValue = SimulatorOptions.DEFAULT_BROKER,
            description = "Broker: tcp://host:port or ssl://host:port (default: ${DEFAULT-VALUE}).")
    String broker;

    @Option(names = "--username", description = "User name for the broker.")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the broker password.")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the broker password.")
    String passwordEnv;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate(s) to trust (with ssl://).")
    Path caFile;

    @Option(names = "--cert-file", paramLabel = "PEM", description = "Client certificate for mutual TLS.")
    Path certFile;

    @Option(names = "--key-file", paramLabel = "PEM", description = "Client key (unencrypted PKCS#8) for mutual TLS.")
    Path keyFile;

    @Option(names = "--scenario", paramLabel = "NAME|FILE",
            description = "Built-in scenario (see 'scenarios') or a scenario YAML file.")
    String scenario;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "0",
            description = "Generic temperature sensors added to the scenario's devices (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "1",
            description = "Messages per second of each generic sensor (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", paramLabel = "D", converter = Converters.DurationConverter.class,
            description = "How long to run: 30s, 5m, 1h, 500ms or ISO-8601; 0 = until Ctrl-C "
                    + "(default: the scenario's, else 60s).")
    Duration duration;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for a repeatable run (default: random, printed).")
    Long seed;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            converter = Converters.FormatConverter.class,
            description = "Payloads: json, raw, tasmota or owntracks (default: ${DEFAULT-VALUE}).")
    PayloadFormat format;

    @Option(names = "--max-rate", description = "Publish as fast as the broker accepts and report the rate.")
    boolean maxRate;

    @Option(names = "--max-messages", paramLabel = "N", defaultValue = "0",
            description = "Stop after N messages; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long maxMessages;

    @Option(names = "--qos", defaultValue = "1", description = "MQTT QoS 0, 1 or 2 (default: ${DEFAULT-VALUE}).")
    int qos;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = SimulatorOptions.DEFAULT_CLIENT_ID,
            description = "MQTT client id; -1, -2, ... are appended with several connections "
                    + "(default: ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "1",
            description = "MQTT connections to spread the devices over (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "" + SimulatorOptions.DEFAULT_MAX_INFLIGHT,
            description = "Unconfirmed messages per connection before publishing waits (default: ${DEFAULT-VALUE}).")
    int maxInflight;

    @Option(names = "--connect-timeout", paramLabel = "D", defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "Time allowed for connecting, and for each broker call (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--start-time", paramLabel = "INSTANT",
            description = "Event time of the first message, e.g. 2026-11-22T08:00:00Z (default: now).")
    Instant startTime;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    /** {@code try}: the progress line is closed early on purpose, before the summary prints (closing is idempotent). */
    @Override
    @SuppressWarnings("try")
    public Integer call() {
        SimulatorOptions opts = SimulatorOptions.builder().broker(broker).username(username).password(password())
                .caFile(caFile).clientCertFile(certFile).clientKeyFile(keyFile).scenario(scenario).devices(devices)
                .rate(rate).duration(duration).seed(seed).format(format).maxRate(maxRate).maxMessages(maxMessages)
                .qos(qos).clientId(clientId).connections(connections).maxInflight(maxInflight)
                .connectTimeout(connectTimeout).startTime(startTime).build();
        try (Simulator sim = new Simulator(opts);
             ProgressLine progress = new ProgressLine(sim.stats(), spec.commandLine().getErr(), opts.duration())) {
            if (!quiet) {
                progress.start();
            }
            CountDownLatch finished = new CountDownLatch(1);
            Thread onInterrupt = new Thread(() -> {
                sim.stop();
                awaitQuietly(finished);
            }, "simulator-shutdown");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                SimulationSummary summary = sim.run();
                progress.close();
                spec.commandLine().getOut().println(json ? SummaryText.json(summary) : SummaryText.text(summary));
                spec.commandLine().getOut().flush();
                return summary.messagesSent() == 0 && summary.errors() > 0 ? SimulatorCommand.EXIT_FAILURE
                        : SimulatorCommand.EXIT_OK;
            } finally {
                removeHook(onInterrupt);
                finished.countDown();
            }
        }
    }

    private String password() {
        if (passwordFile != null && passwordEnv != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give the password either with --password-file or with --password-env, not both");
        }
        if (passwordFile != null) {
            try {
                return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "cannot read --password-file " + passwordFile + ": " + e.getMessage());
            }
        }
        if (passwordEnv != null) {
            String value = System.getenv(passwordEnv);
            if (value == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "environment variable " + passwordEnv + " (from --password-env) is not set");
            }
            return value;
        }
        return null;
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            finished.await(SHUTDOWN_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running (Ctrl-C) and waits for this run to finish: nothing to undo.
        }
    }
}
