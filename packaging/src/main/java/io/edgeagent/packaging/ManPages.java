package io.edgeagent.packaging;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * A section 1 manual page in troff, written from a picocli command model: NAME and SYNOPSIS from the top command,
 * then one section per command and subcommand with exactly the usage text that {@code --help} prints, so the page
 * cannot drift from the command line. (picocli-codegen's ManPageGenerator writes AsciiDoc, which would need an
 * AsciiDoc converter in the build; the usage text already holds everything it would render.)
 */
final class ManPages {

    private ManPages() {
    }

    static String page(String name, String summary, String date, String version, CommandLine command) {
        StringBuilder out = new StringBuilder();
        out.append(".TH ").append(quoted(name.toUpperCase())).append(" 1 ").append(quoted(date)).append(' ')
                .append(quoted(name + ' ' + version)).append(" \"User Commands\"\n");
        out.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(summary)).append('\n');
        out.append(".SH SYNOPSIS\n.B ").append(escape(name)).append("\n[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR]\n");
        for (CommandLine each : withSubcommands(command)) {
            out.append(".SH ").append(quoted(each.getCommandSpec().qualifiedName().toUpperCase())).append('\n');
            out.append(".nf\n");
            each.getUsageMessage(Help.Ansi.OFF).lines().forEach(line -> out.append(escape(line)).append('\n'));
            out.append(".fi\n");
        }
        out.append(".SH \"SEE ALSO\"\n/usr/share/doc/edge-agent/operations.md, /usr/share/doc/edge-agent/cli.md\n");
        return out.toString();
    }

    private static List<CommandLine> withSubcommands(CommandLine command) {
        List<CommandLine> all = new ArrayList<>();
        all.add(command);
        // The same subcommand object is registered under its aliases too: one section each.
        command.getSubcommands().values().stream().distinct()
                .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .forEach(sub -> all.addAll(withSubcommands(sub)));
        return all;
    }

    /** troff text: backslashes doubled, hyphens as minus signs, and no line read as a request. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }

    private static String quoted(String text) {
        return '"' + escape(text).replace("\"", "\\(dq") + '"';
    }
}
