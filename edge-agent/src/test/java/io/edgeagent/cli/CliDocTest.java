package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/cli.md's command table and the picocli model name the same commands, so neither drifts from the other. */
class CliDocTest {

    /** A backticked command in the table's first column: its leading lower-case words are the command path. */
    private static final Pattern COMMAND = Pattern.compile("`([a-z][a-z-]*(?: [a-z][a-z-]*)*)");

    private static Set<String> documented() throws IOException {
        Set<String> commands = new TreeSet<>();
        for (String line : Files.readAllLines(TestConfigs.repositoryRoot().resolve("docs/cli.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = COMMAND.matcher(line.substring(0, line.indexOf(" | ")));
            while (m.find()) {
                commands.add(m.group(1));
            }
        }
        return commands;
    }

    private static void collect(CommandLine command, String prefix, Set<String> into) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = prefix.isEmpty() ? name : prefix + " " + name;
            into.add(path);
            collect(sub, path, into);
        });
    }

    private static Set<String> implemented() {
        Set<String> commands = new TreeSet<>();
        collect(EdgeAgentCommand.commandLine(), "", commands);
        return commands;
    }

    @Test
    void cliDoc_everyDocumentedCommand_exists() throws IOException {
        assertThat(implemented()).containsAll(documented());
    }

    @Test
    void cliDoc_everyCommandAndSubcommand_isInTheTable() throws IOException {
        Set<String> documented = documented();
        // A group (rules, actions, buffer, config) is documented through its subcommands.
        Set<String> missing = new TreeSet<>(implemented());
        missing.removeIf(c -> documented.contains(c) || documented.stream().anyMatch(d -> d.startsWith(c + " ")));
        assertThat(missing).isEmpty();
    }
}
