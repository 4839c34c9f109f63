package io.edgeagent.cli;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.rules.RuleDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", description = "Work with the configuration file.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", description = {"Validate the configuration and compile every rule it points to, without "
            + "connecting to anything. Prints every problem with file, line, key and what was expected.",
            "Exit codes: 0 valid, 3 invalid."})
    static final class Check implements Callable<Integer> {

        @Mixin
        ConfigOption config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AgentConfig loaded = config.loadOrReport(err);
            if (loaded == null) {
                return ExitCodes.CONFIG;
            }
            RuleFileCheck.Result rules;
            try {
                rules = RuleFileCheck.check(RuleDirectory.ruleFiles(loaded.rules().directory()), loaded);
            } catch (IOException e) {
                err.println(loaded.rules().directory() + ": cannot list rule files: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            if (!rules.problems().isEmpty()) {
                ConfigOption.report(err, "invalid rule files in " + loaded.rules().directory(), rules.problems());
                return ExitCodes.CONFIG;
            }
            out.printf("%s is valid: broker %s, %s, %s, %s, data in %s.%n", config.file, loaded.broker().url(),
                    Plural.of(loaded.inputs().size(), "input"), Plural.of(rules.valid().size(), "rule"),
                    Plural.of(loaded.geofences().size(), "geofence"), loaded.data().directory());
            return ExitCodes.OK;
        }
    }
}
