package io.edgeagent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A rule as read from its file: EPL plus what to do when it fires.
 *
 * <p>{@code cooldown} suppresses repeat firings for the same {@code key} value (a select column, by default
 * {@code deviceId} when the rule selects it) for that long, so a sensor above a threshold switches a fan on once, not
 * on every reading. {@code eplLine} and {@code eplColumn} locate the EPL's first character in the file, so that
 * compile errors can name the line a person has to edit. {@code unboundedState} is the rule's opt-in to views that
 * keep events without bound ({@code #keepall}), which the rules sandbox refuses otherwise. {@code fieldReferences}
 * are the output columns the file names (its explicit key, its placeholders), which the rule engine checks against
 * what the compiled statement selects.
 */
public record RuleDefinition(String name, String description, String epl, boolean enabled, Duration cooldown,
                             String key, List<ActionSpec> actions, Path source, int eplLine, int eplColumn,
                             int eplIndent, boolean unboundedState, List<FieldReference> fieldReferences) {

    public static final String DEFAULT_KEY = "deviceId";

    public RuleDefinition {
        actions = List.copyOf(actions);
        fieldReferences = List.copyOf(fieldReferences);
    }

    public RuleDefinition(String name, String description, String epl, boolean enabled, Duration cooldown, String key,
                          List<ActionSpec> actions, Path source, int eplLine, int eplColumn, int eplIndent,
                          boolean unboundedState) {
        this(name, description, epl, enabled, cooldown, key, actions, source, eplLine, eplColumn, eplIndent,
                unboundedState, List.of());
    }

    public RuleDefinition(String name, String description, String epl, boolean enabled, Duration cooldown, String key,
                          List<ActionSpec> actions, Path source, int eplLine, int eplColumn, int eplIndent) {
        this(name, description, epl, enabled, cooldown, key, actions, source, eplLine, eplColumn, eplIndent, false);
    }

    public RuleDefinition withEnabled(boolean newEnabled) {
        return new RuleDefinition(name, description, epl, newEnabled, cooldown, key, actions, source, eplLine,
                eplColumn, eplIndent, unboundedState, fieldReferences);
    }

    /** Maps a line and column inside the EPL text to the line and column in the rule file. */
    public int[] fileLocation(int line, int column) {
        if (line <= 1) {
            return new int[] {eplLine, eplColumn + Math.max(column, 0)};
        }
        return new int[] {eplLine + line - 1, eplIndent + Math.max(column, 0) + 1};
    }
}
