package io.edgeagent.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's EPL with the constants it compares against taken out as Esper substitution parameters
 * ({@code value > ?:c0:double}), so that rules which differ only in their thresholds or device ids compile once and
 * deploy many times, each with its own values. Sites with many rules generate them from a few templates; compiling is
 * most of what a first start with 200 rules spends.
 *
 * <p>Only where a parameter is known to mean what the constant meant: a plain decimal number or a string without
 * escapes that is one side of a comparison ({@code = != <> < > <= >=}). Esper validates some constants while it
 * compiles and evaluates others before it sets parameters, so anywhere else a parameter could turn a compile error
 * into a failure at run time (a window of length 0, a bad regular expression) or leave a value unset (a variable's
 * initial value). So constants stay as written in select lists (Esper names an unnamed column after its text), in
 * annotations, in {@code create} statements, in the assignments of {@code set} clauses, and as arguments of functions,
 * views, patterns and output clauses. Should Esper still refuse the shape, the rule is compiled as written.
 *
 * @param epl the rule's EPL as written
 * @param constants the constants taken out, in the order they appear
 */
record RuleShape(String epl, List<Constant> constants) {

    private static final Pattern INT = Pattern.compile("[+-]?(?:0|[1-9][0-9]*)");
    private static final Pattern LONG = Pattern.compile("[+-]?(?:0|[1-9][0-9]*)[lL]");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+(?:\\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)[dDfF]?");
    private static final Set<String> COMPARISONS = Set.of("=", "!=", "<>", "<", ">", "<=", ">=");
    private static final String OPERATOR_CHARS = "=!<>";
    /** Keywords that end a {@code set} clause's assignments. */
    private static final Set<String> AFTER_SET = Set.of("where", "when", "then", "select", "from", "insert", "delete", "update");

    /**
     * A constant of the EPL: where it is ({@code start} inclusive, {@code end} exclusive, sign included), its
     * parameter's Esper type and its value.
     */
    record Constant(int start, int end, String type, Object value) {
    }

    RuleShape {
        constants = List.copyOf(constants);
    }

    /** The shape of {@code epl}; an EPL with substitution parameters of its own has no constants taken out. */
    static RuleShape of(String epl) {
        return new Scanner(epl).scan();
    }

    /** The EPL to compile: each constant as a parameter; the EPL as written when there are none. */
    String text() {
        StringBuilder text = new StringBuilder(epl.length() + 8 * constants.size());
        int at = 0;
        for (int i = 0; i < constants.size(); i++) {
            Constant c = constants.get(i);
            text.append(epl, at, c.start()).append("?:").append(name(i)).append(':').append(c.type());
            at = c.end();
        }
        return text.append(epl, at, epl.length()).toString();
    }

    /** The values of the parameters of {@link #text()}, by parameter name. */
    Map<String, Object> parameters() {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < constants.size(); i++) {
            values.put(name(i), constants.get(i).value());
        }
        return values;
    }

    private static String name(int index) {
        return "c" + index;
    }

    /** One pass over the EPL, the way Esper's lexer splits it: comments, quoted text, identifiers, numbers. */
    private static final class Scanner {
        private final String epl;
        private final List<Constant> constants = new ArrayList<>();
        /** The constants of the statement being read, kept when it ends unless it is a {@code create} statement. */
        private final List<Constant> statement = new ArrayList<>();
        private int pos;
        private int depth;
        /** The bracket depth of the select list being read, or -1 outside select lists. */
        private int selectDepth = -1;
        /**
         * Whether the current statement is a {@code create} statement (no constant of it is taken out). Esper lets
         * annotations, expression declarations and a context name come before the word.
         */
        private boolean create;
        /** Inside a {@code set} clause's assignments. */
        private boolean assignments;
        /** The last token: an operator as written, "(" and the like, or "a", "0", "'" for words, numbers, strings. */
        private String previous = ";";

        Scanner(String epl) {
            this.epl = epl;
        }

        RuleShape scan() {
            while (pos < epl.length()) {
                char ch = epl.charAt(pos);
                if (ch == '/' && next(1) == '/') {
                    skipTo("\n", 2);
                } else if (ch == '/' && next(1) == '*') {
                    skipTo("*/", 2);
                } else if (ch == '"' && next(1) == '"' && next(2) == '"') {
                    skipTo("\"\"\"", 3);
                    previous = "'";
                } else if (ch == '\'' || ch == '"') {
                    string(ch);
                } else if (ch == '`') {
                    skipQuoted('`');
                    previous = "a";
                } else if (ch == '@' && identifierStart(charAt(skipSpace(pos + 1)))) {
                    annotation();
                } else if (identifierStart(ch)) {
                    identifier();
                } else if (Character.isDigit(ch) || (ch == '.' && Character.isDigit(next(1)))) {
                    number(pos);
                } else if ((ch == '-' || ch == '+') && COMPARISONS.contains(previous) && digitAfterSpace(pos + 1)) {
                    number(pos);
                } else if (ch == '?') {
                    // The rule has substitution parameters of its own: Esper will ask for their values at deploy.
                    return new RuleShape(epl, List.of());
                } else if (OPERATOR_CHARS.indexOf(ch) >= 0) {
                    int start = pos;
                    while (pos < epl.length() && OPERATOR_CHARS.indexOf(epl.charAt(pos)) >= 0) {
                        pos++;
                    }
                    previous = epl.substring(start, pos);
                } else {
                    punctuation(ch);
                    pos++;
                }
            }
            endStatement();
            return new RuleShape(epl, constants);
        }

        private void endStatement() {
            if (!create) {
                constants.addAll(statement);
            }
            statement.clear();
            create = false;
        }

        private void punctuation(char ch) {
            if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == ']' || ch == '}') {
                depth--;
                if (depth < selectDepth) {
                    selectDepth = -1;
                }
            } else if (ch == ';') {
                depth = 0;
                selectDepth = -1;
                assignments = false;
                endStatement();
            }
            if (!Character.isWhitespace(ch)) {
                previous = String.valueOf(ch);
            }
        }

        private void identifier() {
            int start = pos;
            while (pos < epl.length() && identifierPart(epl.charAt(pos))) {
                pos++;
            }
            String word = epl.substring(start, pos).toLowerCase(Locale.ROOT);
            create |= word.equals("create");
            if (word.equals("select") && selectDepth < 0) {
                selectDepth = depth;
            } else if (word.equals("from") && selectDepth == depth) {
                selectDepth = -1;
            }
            if (word.equals("set")) {
                assignments = true;
            } else if (AFTER_SET.contains(word)) {
                assignments = false;
            }
            previous = "a";
        }

        /** A number from {@code start} (its sign, when it has one): a constant when it is plain decimal. */
        private void number(int start) {
            boolean compared = COMPARISONS.contains(previous);
            boolean signed = epl.charAt(start) == '-' || epl.charAt(start) == '+';
            pos = signed ? skipSpace(start + 1) : start + 1;
            while (pos < epl.length()) {
                char ch = epl.charAt(pos);
                if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '.') {
                    pos++;
                } else if ((ch == '+' || ch == '-') && (epl.charAt(pos - 1) == 'e' || epl.charAt(pos - 1) == 'E')) {
                    pos++;
                } else {
                    break;
                }
            }
            String token = epl.substring(start, pos).replaceAll("\\s+", "");
            previous = "0";
            if (!takesParameter(compared)) {
                return;
            }
            if (INT.matcher(token).matches()) {
                add(start, "int", parse(token, Integer::valueOf));
            } else if (LONG.matcher(token).matches()) {
                add(start, "long", parse(token.substring(0, token.length() - 1), Long::valueOf));
            } else if (DECIMAL.matcher(token).matches()) {
                char suffix = Character.toLowerCase(token.charAt(token.length() - 1));
                String digits = suffix == 'd' || suffix == 'f' ? token.substring(0, token.length() - 1) : token;
                if (suffix == 'f') {
                    Float value = Float.valueOf(digits);
                    add(start, "float", value.isInfinite() ? null : value);
                } else {
                    Double value = Double.valueOf(digits);
                    add(start, "double", value.isInfinite() ? null : value);
                }
            }
        }

        /** Whether the constant just read is one side of a comparison, where a parameter may stand for it. */
        private boolean takesParameter(boolean comparedBefore) {
            if (selectDepth >= 0 || assignments) {
                return false;
            }
            if (comparedBefore) {
                return true;
            }
            int at = pos;
            while (at < epl.length()) {
                if (Character.isWhitespace(epl.charAt(at))) {
                    at++;
                } else if (epl.startsWith("/*", at)) {
                    int end = epl.indexOf("*/", at + 2);
                    at = end < 0 ? epl.length() : end + 2;
                } else {
                    break;
                }
            }
            int end = at;
            while (end < epl.length() && OPERATOR_CHARS.indexOf(epl.charAt(end)) >= 0) {
                end++;
            }
            return COMPARISONS.contains(epl.substring(at, end));
        }

        private static Object parse(String token, java.util.function.Function<String, Object> parser) {
            try {
                return parser.apply(token.startsWith("+") ? token.substring(1) : token);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private void add(int start, String type, Object value) {
            if (value != null) {
                statement.add(new Constant(start, pos, type, value));
            }
        }

        private void string(char quote) {
            boolean compared = COMPARISONS.contains(previous);
            int start = pos;
            boolean escaped = skipQuoted(quote);
            previous = "'";
            // A string glued to a word or a method call ('x'.trim()) is not a plain operand.
            boolean glued = pos < epl.length() && (identifierPart(epl.charAt(pos)) || epl.charAt(pos) == '.');
            if (!escaped && !glued && pos - start >= 2 && takesParameter(compared)) {
                statement.add(new Constant(start, pos, "string", epl.substring(start + 1, pos - 1)));
            }
        }

        /** Moves past a quoted token; true when it holds a backslash or is not closed (left to Esper to read). */
        private boolean skipQuoted(char quote) {
            boolean escaped = false;
            pos++;
            while (pos < epl.length()) {
                char ch = epl.charAt(pos++);
                if (ch == '\\') {
                    escaped = true;
                    pos++;
                } else if (ch == quote) {
                    return escaped;
                }
            }
            pos = epl.length();
            return true;
        }

        /** An annotation's arguments stay as written: Esper accepts only constants there. */
        private void annotation() {
            pos = skipSpace(pos + 1);
            while (pos < epl.length() && (identifierPart(epl.charAt(pos)) || epl.charAt(pos) == '.')) {
                pos++;
            }
            int open = pos;
            while (open < epl.length() && Character.isWhitespace(epl.charAt(open))) {
                open++;
            }
            if (open < epl.length() && epl.charAt(open) == '(') {
                pos = open + 1;
                int nested = 1;
                while (pos < epl.length() && nested > 0) {
                    char ch = epl.charAt(pos);
                    if (ch == '\'' || ch == '"') {
                        skipQuoted(ch);
                        continue;
                    }
                    nested += ch == '(' ? 1 : ch == ')' ? -1 : 0;
                    pos++;
                }
            }
            previous = ")";
        }

        private void skipTo(String end, int skip) {
            int found = epl.indexOf(end, pos + skip);
            pos = found < 0 ? epl.length() : found + end.length();
        }

        private boolean digitAfterSpace(int from) {
            int at = skipSpace(from);
            return at < epl.length() && Character.isDigit(epl.charAt(at));
        }

        private int skipSpace(int from) {
            int at = from;
            while (at < epl.length() && Character.isWhitespace(epl.charAt(at))) {
                at++;
            }
            return at;
        }

        private char next(int ahead) {
            return charAt(pos + ahead);
        }

        private char charAt(int index) {
            return index < epl.length() ? epl.charAt(index) : '\0';
        }

        private static boolean identifierStart(char ch) {
            return ch < 128 && (Character.isLetter(ch) || ch == '_' || ch == '$');
        }

        private static boolean identifierPart(char ch) {
            return identifierStart(ch) || (ch >= '0' && ch <= '9');
        }
    }
}
