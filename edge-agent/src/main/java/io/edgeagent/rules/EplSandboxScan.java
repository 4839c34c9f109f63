package io.edgeagent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The first layer of the rules sandbox: a scan of the EPL's tokens (string literals and comments skipped, backquoted
 * identifiers unquoted) for what a rule may never write, before Esper's compiler sees the text. Esper evaluates some
 * constant expressions while it compiles (view parameters, for one), so a refusal must come before the compile,
 * not only after it.
 *
 * <p>Refused: the methods that lead from any value to classes, class loaders and threads ({@code getClass()},
 * {@code forName(..)}, {@code wait()}, ...) and the {@code TYPE} fields of the boxed types; Esper's inlined Java
 * classes ({@code inlined_class """..."""}, {@code create inlined_class}); scripts ({@code expression js:...});
 * module {@code import}s. Found and reported separately: views that keep events without bound ({@code #keepall},
 * {@code #time_accum}, {@code #expr}), which a rule must opt into. The later layers (class names resolved against an
 * allow-list while compiling, a check of the compiled byte code) do not depend on this one.
 */
public final class EplSandboxScan {

    /** Something the scan found: {@code offset} is the index in the EPL of the token to point at. */
    record Finding(int offset, String message, boolean unboundedState) {
    }

    /** Methods that reach reflection, class loading, monitors, processes or the JVM's settings from any object. */
    private static final Set<String> FORBIDDEN_METHODS = Set.of("getClass", "getDeclaringClass", "getClassLoader",
            "forName", "loadClass", "defineClass", "newInstance", "getMethod", "getMethods", "getDeclaredMethod",
            "getDeclaredMethods", "getField", "getFields", "getDeclaredField", "getDeclaredFields", "getConstructor",
            "getConstructors", "getDeclaredConstructor", "invoke", "invokeExact", "lookup", "wait", "notify",
            "notifyAll", "getRuntime", "exec", "exit", "halt",
            // Integer.getInteger(name) and its kin read system properties.
            "getInteger", "getLong", "getBoolean");
    private static final Set<String> FORBIDDEN_FIELDS = Set.of("TYPE", "class");
    private static final Map<String, String> UNBOUNDED_VIEWS = Map.of(
            "keepall", "#keepall keeps every event for ever",
            "time_accum", "#time_accum keeps every event while events keep arriving",
            "expr", "#expr keeps events for as long as its expression says",
            "expr_batch", "#expr_batch keeps events for as long as its expression says");

    private enum Kind { WORD, SYMBOL }

    private record Token(Kind kind, String text, int offset) {
        boolean is(String s) {
            return text.equals(s);
        }
    }

    private EplSandboxScan() {
    }

    static List<Finding> scan(String epl) {
        List<Token> tokens = tokenize(epl);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            Token previous = i > 0 ? tokens.get(i - 1) : null;
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (t.kind() != Kind.WORD) {
                continue;
            }
            String lower = t.text().toLowerCase(Locale.ROOT);
            if (FORBIDDEN_METHODS.contains(t.text()) && next != null && next.is("(")) {
                findings.add(new Finding(t.offset(), "calling " + t.text() + "(..) is not allowed: rules run in a "
                        + "sandbox without reflection, class loading, threads or processes", false));
            } else if (FORBIDDEN_FIELDS.contains(t.text()) && previous != null && previous.is(".")) {
                findings.add(new Finding(t.offset(), "." + t.text() + " is not allowed: rules run in a sandbox "
                        + "without access to classes", false));
            } else if (lower.equals("inlined_class")) {
                findings.add(new Finding(t.offset(), "inlined Java classes (inlined_class) are not allowed: rules "
                        + "run in a sandbox; ask for a function to be added to the agent instead", false));
            } else if (lower.equals("import") && (previous == null || previous.is(";"))) {
                findings.add(new Finding(t.offset(), "import is not allowed: rules run in a sandbox and can use "
                        + "only Math, StrictMath, String, the boxed number types and the agent's functions", false));
            } else if (lower.equals("expression") && isScript(tokens, i)) {
                findings.add(new Finding(t.offset(), "scripts (expression dialect:name [...]) are not allowed: "
                        + "rules run in a sandbox; write the expression in EPL", false));
            } else if (UNBOUNDED_VIEWS.containsKey(lower) && previous != null
                    && (previous.is("#") || previous.is(":"))) {
                findings.add(new Finding(previous.is("#") ? previous.offset() : t.offset(),
                        UNBOUNDED_VIEWS.get(lower) + ", so the rule's memory and the cost of its joins grow without "
                                + "limit; add 'unboundedState: true' to the rule file if that is intended", true));
            }
        }
        return findings;
    }

    /** {@code expression [type] dialect:name}: one or two words, then a colon. */
    private static boolean isScript(List<Token> tokens, int at) {
        for (int i = at + 1; i <= at + 3 && i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is(":")) {
                return i > at + 1;
            }
            if (t.kind() != Kind.WORD) {
                return false;
            }
        }
        return false;
    }

    /** Words (identifiers, keywords, numbers) and single-character symbols; literals and comments are dropped. */
    private static List<Token> tokenize(String epl) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = epl.length();
        while (i < n) {
            char c = epl.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (epl.startsWith("//", i)) {
                int end = epl.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (epl.startsWith("/*", i)) {
                int end = epl.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (epl.startsWith("\"\"\"", i)) {
                // Esper's triple-quoted text (inlined classes); the keyword before it is what gets reported.
                int end = epl.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
            } else if (c == '\'' || c == '"') {
                i = endOfString(epl, i, c);
            } else if (c == '`') {
                int end = epl.indexOf('`', i + 1);
                int stop = end < 0 ? n : end;
                tokens.add(new Token(Kind.WORD, epl.substring(i + 1, stop), i + 1));
                i = stop + 1;
            } else if (Character.isJavaIdentifierPart(c)) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(epl.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, epl.substring(start, i), start));
            } else {
                tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                i++;
            }
        }
        return tokens;
    }

    private static int endOfString(String epl, int start, char quote) {
        int i = start + 1;
        while (i < epl.length()) {
            char c = epl.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return epl.length();
    }

    /**
     * {line (1-based), column (0-based)} of {@code offset} in {@code epl}, the form Esper's messages use. Public for
     * the compiler bridge, which another class loader defines.
     */
    public static int[] position(String epl, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < epl.length(); i++) {
            if (epl.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, offset - lineStart};
    }
}
