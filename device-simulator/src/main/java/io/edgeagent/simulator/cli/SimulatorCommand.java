package io.edgeagent.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code device-simulator}: the command line. Exit codes: 0 success, 1 the run failed (e.g. the broker is
 * unreachable), 2 invalid command line or options.
 */
@Command(name = "device-simulator", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "Simulated MQTT sensors, trackers and doors that play scenarios against a broker.",
        subcommands = {RunCommand.class, ScenariosCommand.class, CommandLine.HelpCommand.class})
public final class SimulatorCommand implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, for {@link #main} and for tests (which set their own out and err writers).
     * Invalid option values exit with 2 and a one-line message; run failures ({@code SimulatorException})
     * exit with 1 and a one-line message, without a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SimulatorCommand());
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("device-simulator: " + e.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("device-simulator: " + e.getMessage());
            return e instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run or scenarios");
    }
}
