package io.edgeagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    public RuleFileReader(Placeholders placeholders) {
        this.placeholders = placeholders;
    }

    public static RuleFileReader fromSystem() {
        return new RuleFileReader(Placeholders.fromSystem());
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
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        int[] epl = locateEpl(text);
        return new RuleDefinition(bound.name(), bound.description() == null ? "" : bound.description(),
                bound.epl().strip(), bound.enabled() == null || bound.enabled(), cooldown,
                bound.key() == null ? RuleDefinition.DEFAULT_KEY : bound.key(), actions, file, epl[0], epl[1], epl[2]);
    }

    private static void checkAction(String source, YamlLines lines, String at, ActionSpec action, List<Problem> problems) {
        if (action == null) {
            problems.add(new Problem(source, lines.lineOf(at), at, null, "expected an action with a type"));
        } else if (action instanceof LogAction log) {
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
