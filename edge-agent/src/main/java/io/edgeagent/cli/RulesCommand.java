package io.edgeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.actions.ActionPreview;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Event;
import io.edgeagent.rules.ExpectedFirings;
import io.edgeagent.rules.RuleEngine;
import io.edgeagent.rules.RuleReplay;
import io.edgeagent.support.EventJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rules", description = "Validate and test rule files.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Test.class})
final class RulesCommand {

    /** Geofences come from the configuration file when there is one; rules that use none do not need it. */
    static Map<String, GeofenceConfig> geofences(Path config) throws ConfigException {
        if (config == null || !Files.exists(config)) {
            return Map.of();
        }
        AgentConfig loaded = ConfigLoader.fromSystem().load(config);
        return loaded.geofences();
    }

    static void printProblems(PrintWriter err, List<Problem> problems) {
        for (Problem p : problems) {
            err.println(p.describe());
        }
    }

    @Command(name = "validate", description = {"Compile rule files without deploying them. Errors name the file, the "
            + "line and column inside the YAML file, and what EPL expected.",
            "Exit codes: 0 all valid, 3 a rule is invalid."})
    static final class Validate implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Rule files (YAML).")
        List<Path> files;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = ConfigOption.DEFAULT,
                description = "Configuration with the geofences rules refer to (default: ${DEFAULT-VALUE}, if present).")
        Path config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Problem> problems = new ArrayList<>();
            try (RuleEngine engine = new RuleEngine(geofences(config), true, (r, f) -> { })) {
                RuleFileReader reader = RuleFileReader.fromSystem();
                for (Path file : files) {
                    try {
                        RuleDefinition rule = reader.read(file);
                        engine.compile(rule);
                        out.println(file + ": rule " + rule.name() + " is valid");
                    } catch (ConfigException e) {
                        problems.addAll(e.problems());
                    }
                }
            } catch (ConfigException e) {
                printProblems(err, e.problems());
                return ExitCodes.CONFIG;
            }
            printProblems(err, problems);
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.CONFIG;
        }
    }

    @Command(name = "test", description = {"Replay recorded events (JSON lines, as `edge-agent record` writes them) "
            + "through rules on event time, deterministically, and print what fired and which actions would run. "
            + "Nothing is executed.",
            "With --expect, compare with an expectation file and print every difference.",
            "Exit codes: 0 ok (or matched), 1 firings differ from --expect, 3 invalid rule or events file."})
    static final class Test implements Callable<Integer> {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Parameters(paramLabel = "RULE_FILE", arity = "1..*", description = "Rule files (YAML).")
        List<Path> files;

        @Option(names = "--events", required = true, paramLabel = "EVENTS.jsonl", description = "Events to replay.")
        Path events;

        @Option(names = "--expect", paramLabel = "EXPECTED.jsonl", description = "Expected firings, one per line.")
        Path expect;

        @Option(names = "--tail", paramLabel = "DURATION", defaultValue = "60s",
                converter = DurationConverter.class,
                description = "How long the clock runs on after the last event, so absence rules can fire (default: ${DEFAULT-VALUE}).")
        Duration tail;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = ConfigOption.DEFAULT,
                description = "Configuration with the geofences rules refer to (default: ${DEFAULT-VALUE}, if present).")
        Path config;

        @Option(names = "--json", description = "Print each firing as one JSON object per line.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<RuleReplay.Fired> fired;
            ExpectedFirings expected = null;
            try {
                List<RuleDefinition> rules = new ArrayList<>();
                RuleFileReader reader = RuleFileReader.fromSystem();
                for (Path file : files) {
                    rules.add(reader.read(file));
                }
                List<Event> recorded = readEvents(events);
                if (expect != null) {
                    expected = ExpectedFirings.parse(Files.readAllLines(expect, StandardCharsets.UTF_8));
                }
                fired = RuleReplay.replay(rules, geofences(config), recorded, tail);
            } catch (ConfigException e) {
                printProblems(err, e.problems());
                return ExitCodes.CONFIG;
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return ExitCodes.CONFIG;
            }
            for (RuleReplay.Fired f : fired) {
                print(out, f);
            }
            if (!json) {
                out.println(fired.size() + (fired.size() == 1 ? " firing." : " firings."));
            }
            if (expected == null) {
                return ExitCodes.OK;
            }
            List<String> differences = expected.differences(fired.stream().map(RuleReplay.Fired::firing).toList());
            if (differences.isEmpty()) {
                if (!json) {
                    out.println("All firings match " + expect + ".");
                }
                return ExitCodes.OK;
            }
            err.println(differences.size() + (differences.size() == 1 ? " difference" : " differences") + " from " + expect + ":");
            differences.forEach(d -> err.println("  " + d));
            return ExitCodes.FAILURE;
        }

        private void print(PrintWriter out, RuleReplay.Fired f) throws IOException {
            List<String> actions = new ArrayList<>();
            for (ActionSpec step : f.rule().actions()) {
                actions.add(ActionPreview.describe(step, f.firing().fields()));
            }
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("rule", f.firing().rule());
                line.put("time", Instant.ofEpochMilli(f.firing().firedAt()).toString());
                line.put("key", f.firing().key());
                line.put("fields", f.firing().fields());
                line.put("actions", actions);
                out.println(JSON.writeValueAsString(line));
                return;
            }
            out.println(Instant.ofEpochMilli(f.firing().firedAt()) + "  " + f.firing().rule() + "  " + f.firing().fields());
            for (String action : actions) {
                out.println("    would run: " + action);
            }
        }

        /** @throws IllegalArgumentException naming the file and line of the first bad event */
        static List<Event> readEvents(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    events.add(EventJson.fromJson(line, file.getFileName() + ":" + (i + 1)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
                }
            }
            return events;
        }
    }
}
