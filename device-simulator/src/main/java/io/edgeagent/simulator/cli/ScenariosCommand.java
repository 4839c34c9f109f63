package io.edgeagent.simulator.cli;

import io.edgeagent.simulator.Durations;
import io.edgeagent.simulator.scenario.Scenario;
import io.edgeagent.simulator.scenario.Scenarios;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code device-simulator scenarios [NAME]}: lists the built-in scenarios, or prints one's YAML to start from. */
@Command(name = "scenarios", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "List the built-in scenarios, or print one as YAML.")
final class ScenariosCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Print this built-in scenario's YAML.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name != null) {
            out.print(Scenarios.builtInYaml(name));
        } else {
            for (String builtIn : Scenarios.builtIn()) {
                Scenario s = Scenarios.load(builtIn);
                out.printf("%-10s %4s  %2d devices  %s%n", s.name(), Durations.format(s.duration()),
                        s.devices().size(), firstSentence(s.description()));
            }
        }
        out.flush();
        return SimulatorCommand.EXIT_OK;
    }

    private static String firstSentence(String text) {
        return text.split("(?<=\\.)\\s", 2)[0];
    }
}
