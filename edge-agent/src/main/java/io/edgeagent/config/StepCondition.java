package io.edgeagent.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tiny condition language of a step's {@code when} (docs/actions.md). One of:
 * <ul>
 *   <li>{@code previous.ok} / {@code previous.failed}: how the step before this one ended (true / false for the first);
 *   <li>{@code {field} OP literal} with OP one of {@code == != > >= < <=} and the literal a number, a quoted string
 *       ({@code 'x'} or {@code "x"}), {@code true}, {@code false} or {@code null}.
 * </ul>
 * Ordering compares numbers only; a missing field makes the condition false. Immutable and thread-safe.
 */
public final class StepCondition {

    private static final Pattern COMPARISON = Pattern.compile(
            "\\{([A-Za-z_][A-Za-z0-9_.]*)}\\s*(==|!=|>=|<=|>|<)\\s*(.+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private final String text;
    private final String field;
    private final String operator;
    private final Object literal;

    private StepCondition(String text, String field, String operator, Object literal) {
        this.text = text;
        this.field = field;
        this.operator = operator;
        this.literal = literal;
    }

    /** @throws IllegalArgumentException with what was expected */
    public static StepCondition parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("previous.ok") || t.equals("previous.failed")) {
            return new StepCondition(t, null, t, null);
        }
        Matcher m = COMPARISON.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected previous.ok, previous.failed or {field} OP value "
                    + "(OP one of == != > >= < <=), e.g. {temperature} > 8");
        }
        String raw = m.group(3).strip();
        Object literal;
        if (NUMBER.matcher(raw).matches()) {
            literal = Double.parseDouble(raw);
        } else if (raw.length() >= 2 && (raw.startsWith("'") && raw.endsWith("'") || raw.startsWith("\"") && raw.endsWith("\""))) {
            literal = raw.substring(1, raw.length() - 1);
        } else if (raw.equals("true") || raw.equals("false")) {
            literal = Boolean.parseBoolean(raw);
        } else if (raw.equals("null")) {
            literal = null;
        } else {
            throw new IllegalArgumentException("expected a number, a quoted string, true, false or null after "
                    + m.group(2) + ", found " + raw);
        }
        if (!(literal instanceof Double) && !m.group(2).equals("==") && !m.group(2).equals("!=")) {
            throw new IllegalArgumentException("expected a number after " + m.group(2));
        }
        return new StepCondition(t, m.group(1), m.group(2), literal);
    }

    public boolean test(Map<String, Object> fields, boolean previousOk) {
        if (field == null) {
            return operator.equals("previous.ok") == previousOk;
        }
        if (!fields.containsKey(field)) {
            return false;
        }
        Object value = fields.get(field);
        if (literal instanceof Double expected) {
            Double actual = value instanceof Number n ? Double.valueOf(n.doubleValue()) : parseNumber(value);
            if (actual == null) {
                return operator.equals("!=");
            }
            int c = Double.compare(actual, expected);
            return switch (operator) {
                case "==" -> c == 0;
                case "!=" -> c != 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                default -> c <= 0;
            };
        }
        boolean equal = literal == null ? value == null : Objects.equals(String.valueOf(literal), String.valueOf(value));
        return operator.equals("==") == equal;
    }

    private static Double parseNumber(Object value) {
        if (value instanceof String s && NUMBER.matcher(s.strip()).matches()) {
            return Double.parseDouble(s.strip());
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
