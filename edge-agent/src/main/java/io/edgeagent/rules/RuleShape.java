package io.edgeagent.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's EPL with its number and string constants taken out as Esper substitution parameters ({@code ?:c0:double}),
 * so that rules which differ only in their thresholds, device ids or window lengths compile once and deploy many
 * times, each with its own values. Sites with many rules generate them from a few templates; compiling is most of
 * what a first start with 200 rules spends.
 *
 * <p>Only constants whose meaning cannot change are taken out: plain decimal numbers and strings without escapes,
 * outside annotations and outside select lists (Esper names an unnamed column after its expression's text, so a
 * parameter there would rename the column that action templates refer to). Esper refuses parameters in some places
 * ({@code limit}, {@code prior}, match-recognize quantifiers): the compiler then keeps the refused constant as
 * written ({@link #text(Set)}), or all of them.
 *
 * @param epl the rule's EPL as written
 * @param constants the constants taken out, in the order they appear
 */
record RuleShape(String epl, List<Constant> constants) {

    private static final Pattern INT = Pattern.compile("[+-]?(?:0|[1-9][0-9]*)");
    private static final Pattern LONG = Pattern.compile("[+-]?(?:0|[1-9][0-9]*)[lL]");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+(?:\\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)[dDfF]?");
    /** Characters after which a sign belongs to the number (Esper's signed constant) rather than to a subtraction. */
    private static final String SIGN_CONTEXT = "(,=<>[{:";

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

    /** The EPL to compile: each constant as a parameter, except those in {@code inline}, which stay as written. */
    String text(Set<Integer> inline) {
        StringBuilder text = new StringBuilder(epl.length() + 8 * constants.size());
        int at = 0;
        for (int i = 0; i < constants.size(); i++) {
            Constant c = constants.get(i);
            if (inline.contains(i)) {
                continue;
            }
            text.append(epl, at, c.start()).append(parameter(i, c));
            at = c.end();
        }
        return text.append(epl, at, epl.length()).toString();
    }

    /** The values of the parameters of {@link #text(Set)}, by parameter name. */
    Map<String, Object> parameters(Set<Integer> inline) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < constants.size(); i++) {
            if (!inline.contains(i)) {
                values.put(name(i), constants.get(i).value());
            }
        }
        return values;
    }

    /**
     * The constant whose parameter is at {@code line} and {@code column} (1-based line, 0-based column, as Esper
     * reports them) of {@link #text(Set)}, or -1.
     */
    int constantAt(int line, int column, Set<Integer> inline) {
        String text = text(inline);
        int offset = 0;
        for (int l = 1; l < line; l++) {
            offset = text.indexOf('\n', offset) + 1;
            if (offset == 0) {
                return -1;
            }
        }
        offset += column;
        int shift = 0;
        for (int i = 0; i < constants.size(); i++) {
            Constant c = constants.get(i);
            if (inline.contains(i)) {
                continue;
            }
            int start = c.start() + shift;
            int length = parameter(i, c).length();
            if (offset >= start && offset < start + length) {
                return i;
            }
            shift += length - (c.end() - c.start());
        }
        return -1;
    }

    private static String name(int index) {
        return "c" + index;
    }

    private static String parameter(int index, Constant c) {
        return "?:" + name(index) + ":" + c.type();
    }

    /** One pass over the EPL, the way Esper's lexer splits it: comments, quoted text, identifiers, numbers. */
    private static final class Scanner {
        private final String epl;
        private final List<Constant> constants = new ArrayList<>();
        private int pos;
        private int depth;
        /** The bracket depth of the select list being read, or -1 outside select lists. */
        private int selectDepth = -1;
        /** The last character that was not white space or inside a comment. */
        private char previous = '(';

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
                    previous = '"';
                } else if (ch == '\'' || ch == '"') {
                    string(ch);
                } else if (ch == '`') {
                    skipQuoted('`');
                    previous = 'a';
                } else if (ch == '@' && identifierStart(next(1))) {
                    annotation();
                } else if (identifierStart(ch)) {
                    identifier();
                } else if (Character.isDigit(ch) || (ch == '.' && Character.isDigit(next(1)))) {
                    number(pos);
                } else if ((ch == '-' || ch == '+') && SIGN_CONTEXT.indexOf(previous) >= 0 && digitAfterSpace(pos + 1)) {
                    number(pos);
                } else if (ch == '?') {
                    // The rule has substitution parameters of its own: Esper will ask for their values at deploy.
                    return new RuleShape(epl, List.of());
                } else {
                    punctuation(ch);
                    pos++;
                }
            }
            return new RuleShape(epl, constants);
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
            }
            if (!Character.isWhitespace(ch)) {
                previous = ch;
            }
        }

        private void identifier() {
            int start = pos;
            while (pos < epl.length() && identifierPart(epl.charAt(pos))) {
                pos++;
            }
            String word = epl.substring(start, pos).toLowerCase(Locale.ROOT);
            if (word.equals("select") && selectDepth < 0) {
                selectDepth = depth;
            } else if (word.equals("from") && selectDepth == depth) {
                selectDepth = -1;
            }
            previous = 'a';
        }

        /** A number from {@code start} (its sign, when it has one): a constant when it is plain decimal. */
        private void number(int start) {
            pos = start + 1;
            while (pos < epl.length() && Character.isWhitespace(epl.charAt(pos)) && !Character.isDigit(epl.charAt(start))) {
                pos++;
            }
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
            previous = '0';
            if (selectDepth >= 0) {
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
                    add(start, "float", Float.valueOf(digits));
                } else {
                    add(start, "double", Double.valueOf(digits));
                }
            }
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
                constants.add(new Constant(start, pos, type, value));
            }
        }

        private void string(char quote) {
            int start = pos;
            boolean escaped = skipQuoted(quote);
            previous = '"';
            if (!escaped && selectDepth < 0 && pos <= epl.length() && epl.charAt(pos - 1) == quote && pos - start >= 2) {
                constants.add(new Constant(start, pos, "string", epl.substring(start + 1, pos - 1)));
            }
        }

        /** Moves past a quoted token; true when it holds a backslash (Esper's escapes stay Esper's to read). */
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
            pos++;
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
            previous = ')';
        }

        private void skipTo(String end, int skip) {
            int found = epl.indexOf(end, pos + skip);
            pos = found < 0 ? epl.length() : found + end.length();
        }

        private boolean digitAfterSpace(int from) {
            int at = from;
            while (at < epl.length() && Character.isWhitespace(epl.charAt(at))) {
                at++;
            }
            return at < epl.length() && Character.isDigit(epl.charAt(at));
        }

        private char next(int ahead) {
            return pos + ahead < epl.length() ? epl.charAt(pos + ahead) : '\0';
        }

        private static boolean identifierStart(char ch) {
            return ch < 128 && (Character.isLetter(ch) || ch == '_' || ch == '$');
        }

        private static boolean identifierPart(char ch) {
            return identifierStart(ch) || (ch >= '0' && ch <= '9');
        }
    }
}
