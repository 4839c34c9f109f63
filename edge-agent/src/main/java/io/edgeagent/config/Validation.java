package io.edgeagent.config;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Validates configuration records against their declared {@link Field}s and their own {@link Section} checks,
 * collecting every problem with file, line, key path, value and expectation. Each instance stands at one key path;
 * {@link #at} steps down into a child.
 */
final class Validation {

    private final String source;
    private final YamlLines lines;
    private final List<Problem> problems;
    private final String path;

    Validation(String source, YamlLines lines, List<Problem> problems) {
        this(source, lines, problems, "");
    }

    private Validation(String source, YamlLines lines, List<Problem> problems, String path) {
        this.source = source;
        this.lines = lines;
        this.problems = problems;
        this.path = path;
    }

    /** The validation of {@code key} below this one: a name ({@code tls}) or a list index ({@code [2]}). */
    Validation at(String key) {
        return new Validation(source, lines, problems, join(key));
    }

    String path() {
        return path;
    }

    /**
     * Checks each component of {@code record} against the Field of the same name, descends into components that are
     * records themselves, then lets the record check what relates its keys.
     */
    void section(Record record) {
        Map<String, Field<?>> fields = Field.declaredBy(record.getClass());
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value = valueOf(component, record);
            Field<?> field = fields.get(component.getName());
            if (field != null) {
                field.check(value, this);
            }
            if (value instanceof Record child) {
                at(component.getName()).section(child);
            }
        }
        if (record instanceof Section section) {
            section.validate(this);
        }
    }

    /** A problem at {@code key} under this path ("" for this path itself). */
    void problem(String key, String value, String message) {
        String at = join(key);
        problems.add(new Problem(source, lines.lineOf(at), at, value, message));
    }

    /** Checks one action step (and its compensation) at {@code key}, the way rule files check theirs. */
    void action(String key, ActionSpec step) {
        RuleFileReader.checkAction(source, lines, join(key), step, problems);
    }

    private String join(String key) {
        if (key.isEmpty()) {
            return path;
        }
        return path.isEmpty() || key.startsWith("[") ? path + key : path + "." + key;
    }

    private static Object valueOf(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
