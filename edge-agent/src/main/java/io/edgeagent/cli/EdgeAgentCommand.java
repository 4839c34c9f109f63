package io.edgeagent.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * {@code edge-agent}: the entry point of the jar. {@code scope = INHERIT}: every subcommand, at any depth, gets
 * {@code --help} and {@code --version} from here.
 */
@Command(name = "edge-agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = ScopeType.INHERIT,
        description = "IoT edge event processor: MQTT in, Esper rules, local actions, store-and-forward.")
public final class EdgeAgentCommand {

    /** The subcommands, in the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, DemoCommand.class,
            StatusCommand.class, RulesCommand.class, RecordCommand.class, ConfigCommand.class, BufferCommand.class,
            ActionsCommand.class, ClassArchiveCommand.class, VersionCommand.class, HelpCommand.class);

    public static void main(String[] args) {
        // Only the long-running agent logs at INFO; for one-shot commands their own output is what matters, and the
        // demo's live view already shows what its rule log actions say.
        String command = args.length > 0 ? args[0] : "";
        if (!command.equals("run") && System.getenv("EDGE_LOG_LEVEL") == null) {
            System.setProperty("EDGE_LOG_LEVEL", command.equals("demo") ? "ERROR" : "WARN");
        }
        System.exit(commandLine(args).execute(args));
    }

    /** The command line for {@code args}: with only the subcommand they name ({@link #commandLine(String)}). */
    static CommandLine commandLine(String[] args) {
        String first = args.length > 0 ? args[0] : "";
        // help lists and describes the other commands, so it needs them all.
        return commandLine(first.equals("help") ? "" : first);
    }

    /** The configured command line; tests call {@code execute} on it with their own out/err writers. */
    public static CommandLine commandLine() {
        return commandLine("");
    }

    /**
     * The command line with only the subcommand named {@code first} when there is one (all of them otherwise).
     * Why: picocli builds the model of every subcommand it is given, by reflection over picocli's own classes,
     * which are too old (Java 5 class files) for the start-up class archive; building all of them took about
     * 0.13 s of every start of the agent and of every CLI command.
     */
    static CommandLine commandLine(String first) {
        List<Class<?>> named = SUBCOMMANDS.stream().filter(c -> name(c).equals(first)).toList();
        CommandLine cli = new CommandLine(new EdgeAgentCommand());
        for (Class<?> subcommand : named.isEmpty() ? SUBCOMMANDS : named) {
            cli.addSubcommand(subcommand);
        }
        cli.setExitCodeExceptionMapper(t -> ExitCodes.FAILURE);
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("edge-agent: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return cli;
    }

    private static String name(Class<?> subcommand) {
        return subcommand.getAnnotation(Command.class).name();
    }
}
