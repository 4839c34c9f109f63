package io.edgeagent.cli;

import io.edgeagent.actions.ActionPreview;
import io.edgeagent.admin.RuleView;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Derived;
import io.edgeagent.event.Event;
import io.edgeagent.rules.ExpectedFirings;
import io.edgeagent.rules.RuleReplay;
import io.edgeagent.logtext.ControlChars;
import io.edgeagent.wire.EventJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rules", description = {"Manage the running agent's rules, and validate and test rule files offline.",
        "list, show, add, remove, enable and disable talk to the running agent (admin API); validate and test work "
                + "offline."},
        subcommands = {RulesCommand.ListRules.class, RulesCommand.Show.class, RulesCommand.Add.class,
                RulesCommand.Remove.class, RulesCommand.Enable.class, RulesCommand.Disable.class,
                RulesCommand.Validate.class, RulesCommand.Test.class})
final class RulesCommand {

    /** Geofences come from the configuration file when there is one; rules that use none do not need it. */
    /** The configuration rules refer to (geofences, workflows), or null when there is no such file. */
    static AgentConfig optionalConfig(Path config) throws ConfigException {
        return config == null || !Files.exists(config) ? null : ConfigLoader.fromSystem().load(config);
    }

    static EventTypes declared(AgentConfig config) {
        return config == null ? EventTypes.none() : config.declaredEventTypes();
    }

    static Map<String, GeofenceConfig> geofences(AgentConfig config) {
        return config == null ? Map.of() : config.geofences();
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
            RuleFileCheck.Result result;
            try {
                result = RuleFileCheck.check(files, optionalConfig(config));
            } catch (ConfigException e) {
                ConfigOption.report(err, "invalid configuration " + config, e.problems());
                return ExitCodes.CONFIG;
            }
            result.valid().forEach(rule -> out.println(rule.source() + ": rule " + rule.name() + " is valid"));
            printProblems(err, result.problems());
            return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.CONFIG;
        }
    }

    @Command(name = "test", description = {"Replay recorded events (JSON lines, as `edge-agent record` writes them) "
            + "through rules on event time, deterministically, and print what fired and which actions would run. "
            + "Nothing is executed.",
            "With --expect, compare with an expectation file and print every difference.",
            "Exit codes: 0 ok (or matched), 1 firings differ from --expect, 3 invalid rule or events file."})
    static final class Test implements Callable<Integer> {

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
                AgentConfig loaded = optionalConfig(config);
                RuleFileReader reader = loaded == null ? RuleFileReader.fromSystem() : RuleFileReader.forConfig(loaded);
                for (Path file : files) {
                    rules.add(reader.read(file));
                }
                List<Event> recorded = readEvents(events, declared(loaded));
                if (expect != null) {
                    expected = ExpectedFirings.parse(Files.readAllLines(expect, StandardCharsets.UTF_8));
                }
                fired = RuleReplay.replay(rules, geofences(loaded), declared(loaded), recorded, tail);
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
                out.println(Plural.of(fired.size(), "firing") + ".");
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
            err.println(Plural.of(differences.size(), "difference") + " from " + expect + ":");
            differences.forEach(d -> err.println("  " + ControlChars.escape(d)));
            return ExitCodes.FAILURE;
        }

        /** One line of {@code rules test --json} (docs/cli.md). */
        record ReplayedFiring(String rule, String time, String key, Map<String, Object> fields, List<String> actions) {
        }

        private void print(PrintWriter out, RuleReplay.Fired f) {
            List<String> actions = new ArrayList<>();
            for (ActionSpec step : f.rule().actions()) {
                actions.add(ActionPreview.describe(step, f.firing().fields()));
            }
            if (json) {
                out.println(JsonOutput.line(new ReplayedFiring(f.firing().rule(),
                        Instant.ofEpochMilli(f.firing().firedAt()).toString(), f.firing().key(), f.firing().fields(),
                        actions)));
                return;
            }
            out.println(Instant.ofEpochMilli(f.firing().firedAt()) + "  " + f.firing().rule() + "  "
                    + ControlChars.escape(String.valueOf(f.firing().fields())));
            for (String action : actions) {
                out.println("    would run: " + ControlChars.escape(action));
            }
        }

        /** @throws ConfigException naming the file and line of every bad event, and what was expected */
        static List<Event> readEvents(Path file, EventTypes declared) throws IOException, ConfigException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<Event> events = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    Event event = EventJson.fromJson(line, file.getFileName() + ":" + (i + 1));
                    if (event instanceof DeclaredEvent d) {
                        event = new DeclaredEvent(d.kind(), d.id(), d.deviceId(), declared.coerce(d.kind(), d.fields()),
                                d.eventTime(), d.receivedTime(), d.topic());
                    }
                    // Derived events (from a buffer export) are the agent's own output, never rule input.
                    if (!(event instanceof Derived)) {
                        events.add(event);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(file.toString(), i + 1, null, null, e.getMessage()));
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return events;
        }
    }

    @Command(name = "list", description = "List the running agent's rules with their state and counters.")
    static final class ListRules extends AdminCommand {

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answerList(client.get("/api/rules"), 200, RuleView.class, this::print);
        }

        private void print(List<RuleView> rules) {
            out().printf("%-28s %-9s %8s %8s %6s  %s%n", "NAME", "STATUS", "MATCHED", "FIRED", "ERRORS", "LAST FIRED");
            for (RuleView rule : rules) {
                if (rule instanceof RuleView.Deployed d) {
                    out().printf("%-28s %-9s %8d %8d %6d  %s%n", d.name(), d.status(), d.matched(), d.fired(),
                            d.errors(), d.lastFired() == null ? "-" : d.lastFired());
                } else if (rule instanceof RuleView.Rejected r) {
                    out().printf("%-28s %-9s %8d %8d %6d  %s%n", r.name(), r.status(), 0, 0, 0, "-");
                    r.problems().forEach(p -> out().println("    " + p));
                }
            }
        }
    }

    @Command(name = "show", description = "Show one rule of the running agent: its EPL, actions and counters.")
    static final class Show extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "Rule name.")
        String name;

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answer(client.get("/api/rules/" + encode(name)), 200, RuleView.class, this::print);
        }

        private void print(RuleView rule) {
            out().printf("%s (%s) from %s%n", rule.name(), rule.status(), rule.source());
            if (rule instanceof RuleView.Deployed d) {
                print(d);
            } else if (rule instanceof RuleView.Rejected r) {
                r.problems().forEach(p -> out().println("  " + p));
            }
        }

        private void print(RuleView.Deployed rule) {
            if (rule.description() != null && !rule.description().isBlank()) {
                out().println("  " + rule.description().strip());
            }
            out().printf("matched %d, fired %d, suppressed by cooldown %d, errors %d, last fired %s%n",
                    rule.matched(), rule.fired(), rule.suppressed(), rule.errors(),
                    rule.lastFired() == null ? "never" : rule.lastFired());
            if (rule.lastError() != null) {
                out().println("last error: " + ControlChars.escape(rule.lastError()));
            }
            if (rule.limitRefusals() > 0) {
                out().printf("refused by Esper's limits: %d%n", rule.limitRefusals());
            }
            if (rule.disabledReason() != null) {
                out().println("disabled by the agent: " + rule.disabledReason() + " (edge-agent rules enable "
                        + rule.name() + " runs it again)");
            }
            out().printf("cooldown %s per %s; actions: %s%n", rule.cooldown(), rule.key(),
                    JsonOutput.line(rule.actions()));
            printStatementMetrics(out(), rule.statements());
            if (rule.epl() != null) {
                out().println("epl:");
                rule.epl().lines().forEach(l -> out().println("  " + l));
            }
        }
    }

    /** Esper's metrics of each statement: totals since the rule was deployed. */
    private static void printStatementMetrics(PrintWriter out, List<RuleView.Statement> statements) {
        if (statements.isEmpty()) {
            return;
        }
        out.println("statements (Esper's metrics since deploy):");
        for (RuleView.Statement s : statements) {
            out.printf(Locale.ROOT, "  %-16s events in %d, rows out %d, wall %.3f ms%s%n", s.statement(),
                    s.eventsIn(), s.rowsOut(), s.wallNanos() / 1e6,
                    s.cpuNanos() > 0 ? String.format(Locale.ROOT, ", cpu %.3f ms", s.cpuNanos() / 1e6) : "");
        }
    }

    @Command(name = "add", description = {"Add or replace a rule in the running agent from a rule file. The agent "
            + "checks it first, writes it into its rules directory and deploys it; a rejected rule changes nothing.",
            "Exit codes: 0 deployed, 3 rejected (every problem printed), 1 agent unreachable."})
    static final class Add extends AdminCommand {

        @Parameters(paramLabel = "FILE", description = "Rule file (YAML).")
        Path file;

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            String yaml;
            RuleDefinition rule;
            try {
                yaml = Files.readString(file, StandardCharsets.UTF_8);
                rule = RuleFileReader.fromSystem().parse(file, yaml);
            } catch (IOException e) {
                err().println("edge-agent: cannot read " + file + ": " + e.getMessage());
                return ExitCodes.CONFIG;
            } catch (ConfigException e) {
                printProblems(err(), e.problems());
                return ExitCodes.CONFIG;
            }
            return answer(client.put("/api/rules/" + encode(rule.name()), yaml), 200, RuleView.class,
                    deployed -> out().println("Rule " + rule.name() + " deployed (" + deployed.status() + ")."));
        }
    }

    @Command(name = "remove", description = "Remove a rule from the running agent (and its file from the rules directory).")
    static final class Remove extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "Rule name.")
        String name;

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            AdminClient.Response response = client.delete("/api/rules/" + encode(name));
            if (response.status() != 204) {
                return failed(response);
            }
            out().println(json ? JsonOutput.pretty(Map.of("removed", name)) : "Rule " + name + " removed.");
            return ExitCodes.OK;
        }
    }

    /** enable and disable differ only in the verb. */
    abstract static class Toggle extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "Rule name.")
        String name;

        abstract boolean enable();

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answer(client.post("/api/rules/" + encode(name) + (enable() ? "/enable" : "/disable")), 200,
                    RuleView.class, rule -> out().println("Rule " + name + " is " + rule.status() + "."));
        }
    }

    @Command(name = "enable", description = "Enable a rule in the running agent (sets enabled: true in its file).")
    static final class Enable extends Toggle {
        @Override
        boolean enable() {
            return true;
        }
    }

    @Command(name = "disable", description = "Disable a rule in the running agent (sets enabled: false in its file).")
    static final class Disable extends Toggle {
        @Override
        boolean enable() {
            return false;
        }
    }

    static String encode(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
