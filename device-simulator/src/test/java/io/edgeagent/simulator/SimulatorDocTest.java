package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.simulator.cli.SimulatorCommand;
import io.edgeagent.simulator.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/simulator.md shows what the code does: its example scenario is the tested file, its lists are complete. */
class SimulatorDocTest {

    private static final Path DOC = Path.of("../docs/simulator.md");

    @Test
    void doc_exampleScenario_isTheTestedFileVerbatim() throws Exception {
        assertThat(Files.readString(DOC)).contains("```yaml\n" + Files.readString(ScenariosTest.DOC_EXAMPLE) + "```");
    }

    @Test
    void doc_builtInScenarios_areEachDescribed() throws Exception {
        String doc = Files.readString(DOC);
        for (String name : Scenarios.builtIn()) {
            assertThat(doc).contains("| `" + name + "` |");
        }
    }

    @Test
    void doc_formats_areEachDescribed() throws Exception {
        String doc = Files.readString(DOC);
        for (PayloadFormat f : PayloadFormat.values()) {
            assertThat(doc).contains("| `" + f.cliName() + "` |");
        }
    }

    @Test
    void doc_options_listEveryRunOption() throws Exception {
        String doc = Files.readString(DOC);
        CommandLine run = SimulatorCommand.commandLine().getSubcommands().get("run");
        for (OptionSpec option : run.getCommandSpec().options()) {
            assertThat(doc).as("option %s documented", option.longestName()).contains("`" + option.longestName());
        }
    }
}
