package io.edgeagent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code edge-agent}: the entry point of the jar. {@code scope = INHERIT}: every subcommand, at any depth, gets
 * {@code --help} and {@code --version} from here.
 */
@Command(name = "edge-agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT,
        description = "IoT edge event processor: MQTT in, Esper rules, local actions, store-and-forward.",
        subcommands = {RunCommand.class, DemoCommand.class, StatusCommand.class, RulesCommand.class, RecordCommand.class,
                ConfigCommand.class, BufferCommand.class, ActionsCommand.class, ClassArchiveCommand.class,
                VersionCommand.class,
                HelpCommand.class})
public final class EdgeAgentCommand {

    public static void main(String[] args) {
        // Only the long-running agent logs at INFO; for one-shot commands their own output is what matters, and the
        // demo's live view already shows what its rule log actions say.
        String command = args.length > 0 ? args[0] : "";
        if (!command.equals("run") && System.getenv("EDGE_LOG_LEVEL") == null) {
            System.setProperty("EDGE_LOG_LEVEL", command.equals("demo") ? "ERROR" : "WARN");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EdgeAgentCommand());
        cli.setExitCodeExceptionMapper(t -> ExitCodes.FAILURE);
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("edge-agent: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return cli;
    }
}
