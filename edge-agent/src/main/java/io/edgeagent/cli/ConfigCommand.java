package io.edgeagent.cli;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.rules.RuleDirectory;
import io.edgeagent.rules.RuleEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            AgentConfig loaded;
            try {
                loaded = config.load();
            } catch (ConfigException e) {
                report(err, e.problems());
                return ExitCodes.CONFIG;
            }
            List<Problem> problems = new ArrayList<>();
            int rules = 0;
            try (RuleEngine engine = new RuleEngine(loaded.geofences(), true, (r, f) -> { })) {
                RuleFileReader reader = RuleFileReader.fromSystem();
                for (Path file : RuleDirectory.ruleFiles(loaded.rules().directory())) {
                    try {
                        engine.compile(reader.read(file));
                        rules++;
                    } catch (ConfigException e) {
                        problems.addAll(e.problems());
                    }
                }
            } catch (IOException e) {
                err.println(loaded.rules().directory() + ": cannot list rule files: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            if (!problems.isEmpty()) {
                report(err, problems);
                return ExitCodes.CONFIG;
            }
            out.printf("%s is valid: broker %s, %d inputs, %d rules, %d geofences, data in %s.%n", config.file,
                    loaded.broker().url(), loaded.inputs().size(), rules, loaded.geofences().size(),
                    loaded.data().directory());
            return ExitCodes.OK;
        }

        private static void report(PrintWriter err, List<Problem> problems) {
            err.println(problems.size() + (problems.size() == 1 ? " problem:" : " problems:"));
            for (Problem p : problems) {
                err.println("  " + p.describe());
            }
        }
    }
}
