package io.edgeagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads rule files ({@code rules/*.yaml}): binds, checks the keys, and works out where the EPL starts in the file.
 * Compiling the EPL is the rule engine's job; this class only guarantees a well-formed definition.
 */
public final class RuleFileReader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final Pattern EPL_KEY = Pattern.compile("^epl\\s*:(\\s*)(.*)$");

    private final Placeholders placeholders;
    /** Names of the configured workflows; null where no configuration is at hand (then they are not checked). */
    private final Set<String> workflows;
    /** The configured workflows' steps, whose placeholders the calling rule must select; empty without a configuration. */
    private final Map<String, List<ActionSpec>> workflowSteps;

    public RuleFileReader(Placeholders placeholders) {
        this(placeholders, null);
    }

    public RuleFileReader(Placeholders placeholders, Set<String> workflows) {
        this(placeholders, workflows, Map.of());
    }

    private RuleFileReader(Placeholders placeholders, Set<String> workflows, Map<String, List<ActionSpec>> steps) {
        this.placeholders = placeholders;
        this.workflows = workflows == null ? null : Set.copyOf(workflows);
        this.workflowSteps = steps;
    }

    public static RuleFileReader fromSystem() {
        return new RuleFileReader(Placeholders.fromSystem());
    }

    /** A reader that also rejects rules calling a workflow the configuration does not declare. */
    public static RuleFileReader forConfig(AgentConfig config) {
        return new RuleFileReader(Placeholders.fromSystem(), config.actions().workflows().keySet(),
                config.actions().workflows());
    }

    public RuleDefinition read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), 0, "", null,
                    "cannot read the rule file (" + e.getClass().getSimpleName() + ")")));
        }
        return parse(file, text);
    }

    public RuleDefinition parse(Path file, String text) throws ConfigException {
        String source = file.toString();
        List<Problem> problems = new ArrayList<>();
        RuleFile bound = Yaml.bind(source, text, RuleFile.class, placeholders, problems);
        if (bound == null) {
            throw new ConfigException(problems);
        }
        YamlLines lines = YamlLines.index(text);
        if (bound.name() == null || !NAME.matcher(bound.name()).matches()) {
            problems.add(new Problem(source, lines.lineOf("name"), "name", bound.name(),
                    "expected a rule name of letters, digits, '.', '-' and '_' (at most 100 characters)"));
        }
        if (bound.epl() == null || bound.epl().isBlank()) {
            problems.add(new Problem(source, lines.lineOf("epl"), "epl", null,
                    "expected the rule's EPL statement, e.g. epl: select * from Reading(value > 30)"));
        }
        Duration cooldown = bound.cooldown() == null ? Duration.ZERO : bound.cooldown();
        if (cooldown.isNegative()) {
            problems.add(new Problem(source, lines.lineOf("cooldown"), "cooldown", Durations.format(cooldown),
                    "expected a duration of 0 or more"));
        }
        List<ActionSpec> actions = bound.actions() == null ? List.of() : bound.actions();
        for (int i = 0; i < actions.size(); i++) {
            checkAction(source, lines, "actions[" + i + "]", actions.get(i), problems);
            checkWorkflowNames(source, lines, "actions[" + i + "]", actions.get(i), problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        int[] epl = locateEpl(text);
        return new RuleDefinition(bound.name(), bound.description() == null ? "" : bound.description(),
                bound.epl().strip(), bound.enabled() == null || bound.enabled(), cooldown,
                bound.key() == null ? RuleDefinition.DEFAULT_KEY : bound.key(), actions, file, epl[0], epl[1], epl[2],
                Boolean.TRUE.equals(bound.unboundedState()),
                FieldReferences.of(bound.key(), actions, workflowSteps, lines));
    }

    /** Checks one step and, recursively, its compensation steps; adds every problem found. */
    static void checkAction(String source, YamlLines lines, String at, ActionSpec action, List<Problem> problems) {
        if (action == null) {
            problems.add(new Problem(source, lines.lineOf(at), at, null, "expected an action with a type"));
            return;
        }
        if (action instanceof LogAction log) {
            if (log.message() == null) {
                problems.add(new Problem(source, lines.lineOf(at), at + ".message", null, "expected the message to log"));
            }
            if (!LogAction.LEVELS.contains(log.level())) {
                problems.add(new Problem(source, lines.lineOf(at + ".level"), at + ".level", log.level(),
                        "expected one of " + LogAction.LEVELS));
            }
        } else if (action instanceof MqttAction mqtt) {
            if (mqtt.topic() == null || mqtt.topic().isBlank() || mqtt.topic().contains("+") || mqtt.topic().contains("#")) {
                problems.add(new Problem(source, lines.lineOf(at + ".topic"), at + ".topic", mqtt.topic(),
                        "expected a topic to publish to, without wildcards, e.g. actuators/{deviceId}/command"));
            }
            if (mqtt.payload() == null) {
                problems.add(new Problem(source, lines.lineOf(at), at + ".payload", null, "expected a payload"));
            }
            if (mqtt.qos() < 0 || mqtt.qos() > 2) {
                problems.add(new Problem(source, lines.lineOf(at + ".qos"), at + ".qos", String.valueOf(mqtt.qos()),
                        "expected 0, 1 or 2"));
            }
        } else if (action instanceof ExecAction exec) {
            if (exec.command().isEmpty() || exec.command().get(0) == null || exec.command().get(0).isBlank()) {
                problems.add(new Problem(source, lines.lineOf(at), at + ".command", null,
                        "expected the program and its arguments as a list, e.g. [/usr/local/bin/siren, --on]"));
            } else if (exec.command().stream().anyMatch(java.util.Objects::isNull)) {
                problems.add(new Problem(source, lines.lineOf(at + ".command"), at + ".command",
                        String.valueOf(exec.command()), "expected no empty (null) arguments"));
            }
            if (exec.successExitCodes().isEmpty()
                    || exec.successExitCodes().stream().anyMatch(java.util.Objects::isNull)) {
                problems.add(new Problem(source, lines.lineOf(at + ".successExitCodes"), at + ".successExitCodes",
                        String.valueOf(exec.successExitCodes()), "expected a list of exit codes, e.g. [0]"));
            }
        } else if (action instanceof HttpAction http) {
            if (http.url() == null || !(http.url().startsWith("http://") || http.url().startsWith("https://"))) {
                problems.add(new Problem(source, lines.lineOf(at + ".url"), at + ".url", http.url(),
                        "expected a URL starting with http:// or https://"));
            }
            if (!HttpAction.METHODS.contains(http.method())) {
                problems.add(new Problem(source, lines.lineOf(at + ".method"), at + ".method", http.method(),
                        "expected one of " + HttpAction.METHODS));
            }
            if (http.successCodes().stream().anyMatch(c -> c == null || c < 100 || c > 599)) {
                problems.add(new Problem(source, lines.lineOf(at + ".successCodes"), at + ".successCodes",
                        String.valueOf(http.successCodes()), "expected HTTP statuses from 100 to 599"));
            }
            // Header values may hold secrets: never echo them in a problem.
            http.headers().forEach((name, value) -> {
                if (value == null) {
                    problems.add(new Problem(source, lines.lineOf(at + ".headers"), at + ".headers." + name, null,
                            "expected a header value"));
                }
            });
        } else if (action instanceof EmitAction emit) {
            if (emit.event() == null || !NAME.matcher(emit.event()).matches()) {
                problems.add(new Problem(source, lines.lineOf(at + ".event"), at + ".event", emit.event(),
                        "expected the derived event's name, e.g. event: alert"));
            }
            if (emit.fields() != null && !emit.fields().isObject()) {
                problems.add(new Problem(source, lines.lineOf(at + ".fields"), at + ".fields", emit.fields().toString(),
                        "expected a mapping of field names to values"));
            }
        } else if (action instanceof WorkflowAction workflow) {
            if (workflow.name() == null || workflow.name().isBlank()) {
                problems.add(new Problem(source, lines.lineOf(at), at + ".name", null,
                        "expected the name of a workflow in actions.workflows of the configuration"));
            }
        } else {
            return;
        }
        checkOptions(source, lines, at, action, problems);
    }

    /** A workflow step must name a configured workflow; compensation steps are checked the same way. */
    private void checkWorkflowNames(String source, YamlLines lines, String at, ActionSpec action, List<Problem> problems) {
        if (workflows == null || action == null) {
            return;
        }
        if (action instanceof WorkflowAction workflow && workflow.name() != null && !workflows.contains(workflow.name())) {
            problems.add(new Problem(source, lines.lineOf(at + ".name"), at + ".name", workflow.name(),
                    "unknown workflow (configured: " + (workflows.isEmpty() ? "none" : String.join(", ",
                            new java.util.TreeSet<>(workflows))) + "; workflows are declared under actions.workflows)"));
        }
        for (int i = 0; i < action.compensate().size(); i++) {
            checkWorkflowNames(source, lines, at + ".compensate[" + i + "]", action.compensate().get(i), problems);
        }
    }

    private static void checkOptions(String source, YamlLines lines, String at, ActionSpec action, List<Problem> problems) {
        RetryPolicy retry = action.retry();
        if (retry.attempts() < 1 || retry.attempts() > 100) {
            problems.add(new Problem(source, lines.lineOf(at + ".retry.attempts"), at + ".retry.attempts",
                    String.valueOf(retry.attempts()), "expected a whole number from 1 to 100"));
        }
        if (retry.initialBackoff().isNegative() || retry.initialBackoff().isZero()) {
            problems.add(new Problem(source, lines.lineOf(at + ".retry.initialBackoff"), at + ".retry.initialBackoff",
                    Durations.format(retry.initialBackoff()), "expected a duration above 0"));
        } else if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
            problems.add(new Problem(source, lines.lineOf(at + ".retry.maxBackoff"), at + ".retry.maxBackoff",
                    Durations.format(retry.maxBackoff()), "expected at least retry.initialBackoff"));
        }
        if (action.timeout() != null && (action.timeout().isNegative() || action.timeout().isZero())) {
            problems.add(new Problem(source, lines.lineOf(at + ".timeout"), at + ".timeout",
                    Durations.format(action.timeout()), "expected a duration above 0"));
        }
        if (action.when() != null) {
            try {
                StepCondition.parse(action.when());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(source, lines.lineOf(at + ".when"), at + ".when", action.when(), e.getMessage()));
            }
        }
        AwaitSpec await = action.await();
        if (await != null) {
            if (await.topic() == null || await.topic().isBlank() || await.topic().contains("+")
                    || await.topic().contains("#")) {
                problems.add(new Problem(source, lines.lineOf(at + ".await.topic"), at + ".await.topic", await.topic(),
                        "expected a topic without wildcards, e.g. actuators/{deviceId}/ack"));
            }
            if (await.timeout().isNegative() || await.timeout().isZero()) {
                problems.add(new Problem(source, lines.lineOf(at + ".await.timeout"), at + ".await.timeout",
                        Durations.format(await.timeout()), "expected a duration above 0"));
            }
        }
        if (!StepOptions.ON_FAILURE.contains(action.onFailure())) {
            problems.add(new Problem(source, lines.lineOf(at + ".onFailure"), at + ".onFailure", action.onFailure(),
                    "expected one of " + StepOptions.ON_FAILURE));
        } else if (action.onFailure().equals(StepOptions.ON_FAILURE_COMPENSATE) && action.compensate().isEmpty()) {
            problems.add(new Problem(source, lines.lineOf(at + ".onFailure"), at + ".compensate", null,
                    "expected the compensation steps to run when onFailure is compensate"));
        }
        for (int i = 0; i < action.compensate().size(); i++) {
            checkAction(source, lines, at + ".compensate[" + i + "]", action.compensate().get(i), problems);
        }
    }

    /**
     * Where the EPL text starts: {line, column of its first character, indent of its following lines}, all 1-based
     * except the indent. Handles {@code epl: select ...} on one line and block scalars ({@code epl: |}).
     */
    static int[] locateEpl(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = EPL_KEY.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(2);
            if (rest.startsWith("|") || rest.startsWith(">")) {
                for (int j = i + 1; j < lines.length; j++) {
                    if (!lines[j].isBlank()) {
                        int indent = lines[j].length() - lines[j].stripLeading().length();
                        return new int[] {j + 1, indent + 1, indent};
                    }
                }
                return new int[] {i + 1, 1, 0};
            }
            int column = lines[i].length() - rest.length() + 1;
            if (rest.startsWith("\"") || rest.startsWith("'")) {
                column++;
            }
            return new int[] {i + 1, column, 0};
        }
        return new int[] {1, 1, 0};
    }
}
