package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EdgeAgentCommandTest {

    private static final String[] ALL = {"run", "demo", "status", "rules", "record", "config", "buffer", "actions",
        "class-archive", "version", "help"};

    @Test
    void commandLine_forASubcommand_buildsThatOneAlone_withTheInheritedOptions() {
        assertThat(EdgeAgentCommand.commandLine(new String[] {"status", "--help"}).getSubcommands())
                .containsOnlyKeys("status");

        CliRun help = CliRun.of("status", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: edge-agent status").contains("--version");
    }

    @Test
    void commandLine_forHelpNothingOrAnUnknownName_buildsThemAll_inTheHelpsOrder() {
        for (String[] args : new String[][] {{}, {"help", "run"}, {"nonsense"}, {"--help"}}) {
            assertThat(EdgeAgentCommand.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactly(ALL);
        }
    }

    @Test
    void unknownCommand_isAUsageError_listingTheCommands() {
        CliRun run = CliRun.of("nonsense");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("nonsense");
    }

    @Test
    void helpForACommand_describesIt() {
        CliRun run = CliRun.of("help", "run");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: edge-agent run");
    }
}
