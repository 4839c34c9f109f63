package io.edgeagent.actions;

import io.edgeagent.logtext.ControlChars;

/**
 * A field value that cannot be placed where a template puts it without changing the template's structure (a '/' in a
 * topic level, NUL in a program argument). The step fails at once, without retries: the same fields would be refused
 * again.
 */
final class RefusedValue extends StepFailure {

    private static final int SHOWN = 60;

    RefusedValue(String field, String value, String where, String problem) {
        super("refused: field " + field + " (\"" + ControlChars.escape(shown(value)) + "\") cannot go into " + where
                + ": " + problem);
    }

    RefusedValue(String message) {
        super("refused: " + message);
    }

    /** A field whose value is null, where an empty text would change what the template says. */
    static RefusedValue empty(String field, String where) {
        return new RefusedValue("field " + field + " has no value (null), so it cannot go into " + where);
    }

    private static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "...";
    }
}
