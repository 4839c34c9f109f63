package io.edgeagent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns the parsers' own words for a syntax error ({@code while parsing a flow node}, {@code No content to map due to
 * end-of-input}, {@code Unexpected character ('}' (code 125))}) into one plain sentence: where (line, column) and what
 * was expected there. Every YAML and JSON file the agent reads goes through here, so a new parser message is fixed in
 * one place for all of them.
 */
public final class SyntaxErrors {

    private static final String EMPTY = "the file is empty (or holds only comments)";
    private static final Pattern BAD_START = Pattern.compile("found character '(.+?)' that cannot start any token.*");
    private static final Pattern FOUND = Pattern.compile(".*but (?:found|got) '?(.+?)'?$");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)' for .*");
    private static final Pattern JSON_CHARACTER = Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\).*");
    private static final Pattern JSON_TOKEN = Pattern.compile("Unrecognized token '(.*?)'.*");

    private SyntaxErrors() {
    }

    /** A line, a column (0 when unknown) and what is wrong there. */
    public record Located(int line, int column, String message) {

        /** The message led by its column, the way rule compile errors put it: {@code column 9: ...}. */
        public String withColumn() {
            return column > 0 ? "column " + column + ": " + message : message;
        }
    }

    /** The problem for a file {@code source} that failed to parse. */
    static Problem problem(String source, JsonProcessingException e) {
        Located at = locate(e);
        return new Problem(source, at.line(), "", null, at.withColumn());
    }

    /** Where and what, for any exception Jackson throws while reading YAML or JSON. */
    public static Located locate(JsonProcessingException e) {
        MarkedYAMLException yaml = cause(e, MarkedYAMLException.class);
        if (yaml != null) {
            return yaml(yaml, e.getLocation());
        }
        // Binding wraps the parser's exception in its own; the parser's has the position and the real reason.
        StreamReadException parse = cause(e, StreamReadException.class);
        JsonProcessingException reported = parse != null ? parse : e;
        String message = json(reported.getOriginalMessage());
        JsonLocation where = reported.getLocation();
        if (where == null || message.startsWith(EMPTY)) {
            return new Located(0, 0, message);
        }
        return new Located(Math.max(where.getLineNr(), 0), Math.max(where.getColumnNr(), 0), message);
    }

    /** Whether {@code e} is a syntax error (the text is not YAML or JSON) rather than a value that did not bind. */
    public static boolean isSyntaxError(Throwable e) {
        return cause(e, StreamReadException.class) != null || cause(e, MarkedYAMLException.class) != null;
    }

    private static Located yaml(MarkedYAMLException e, JsonLocation lastToken) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        boolean endOfText = problem.contains("<stream end>") || problem.contains("end of stream");
        Mark mark = e.getProblemMark();
        if (endOfText) {
            // At the end of the text the parser points past the last line; where the open thing started helps more.
            Mark opened = e.getContextMark();
            mark = opened != null && opened.getIndex() < e.getProblemMark().getIndex() ? opened : null;
        }
        int line = mark != null ? mark.getLine() + 1 : lastToken == null ? 0 : Math.max(lastToken.getLineNr(), 0);
        int column = mark != null ? mark.getColumn() + 1 : lastToken == null ? 0 : Math.max(lastToken.getColumnNr(), 0);
        return new Located(line, column, yamlMessage(context, problem, endOfText));
    }

    private static String yamlMessage(String context, String problem, boolean endOfText) {
        Matcher badStart = BAD_START.matcher(problem);
        if (problem.contains("\\t(TAB)") || problem.contains("'\t'")) {
            return "a tab character: YAML indents with spaces only";
        } else if (badStart.matches()) {
            return "a value cannot start with '" + badStart.group(1) + "': put the value in quotes";
        } else if (problem.startsWith("mapping values are not allowed")) {
            return "a ':' inside a value: put the value in quotes, or start the key on a new line";
        } else if (context.contains("quoted scalar")) {
            return "this quoted value is never closed: expected the closing quote";
        } else if (endOfText && context.contains("flow mapping")) {
            return "this '{' is never closed: expected ',' and more key: value pairs, or '}'";
        } else if (endOfText && context.contains("flow sequence")) {
            return "this '[' is never closed: expected ',' and more items, or ']'";
        } else if (endOfText) {
            return "the file ends where a value was expected: a '[' or '{' before it is never closed";
        } else if (problem.startsWith("expected <block end>")) {
            return "this line does not line up with the lines above it: keys of one section start in the same "
                    + "column, and list items with '- '";
        } else if (context.contains("flow") && problem.startsWith("expected ','")) {
            return "expected ',' or the closing " + (context.contains("mapping") ? "'}'" : "']'") + " but found "
                    + found(problem);
        } else if (problem.startsWith("expected the node content")) {
            return "expected a value but found " + found(problem);
        } else if (problem.startsWith("found incompatible YAML document")) {
            return "an unsupported %YAML version: remove the %YAML line";
        }
        return "not valid YAML: " + problem;
    }

    private static String found(String problem) {
        Matcher m = FOUND.matcher(problem);
        return m.matches() ? "'" + m.group(1) + "'" : "something else";
    }

    private static String json(String message) {
        if (message == null) {
            return "not valid YAML or JSON";
        }
        Matcher m;
        if (message.startsWith("No content to map due to end-of-input")) {
            return EMPTY;
        } else if ((m = DUPLICATE.matcher(message)).matches()) {
            return "the key '" + m.group(1) + "' appears twice in the same section: keep one";
        } else if (message.contains("expected close marker for Object")) {
            return "the text ends inside a '{' that is never closed: expected '}'";
        } else if (message.contains("expected close marker for Array")) {
            return "the text ends inside a '[' that is never closed: expected ']'";
        } else if (message.contains("closing quote")) {
            return "the text ends inside a quoted string: expected the closing '\"'";
        } else if (message.contains("double-quote to start field name") && (m = JSON_CHARACTER.matcher(message)).matches()) {
            return "expected a key in double quotes but found '" + m.group(1) + "'";
        } else if ((m = JSON_CHARACTER.matcher(message)).matches()) {
            return "unexpected '" + m.group(1) + "': expected a value (a string, number, list, object, true, false or null)";
        } else if ((m = JSON_TOKEN.matcher(message)).matches()) {
            return "unexpected '" + m.group(1) + "': expected a value (a string in double quotes, a number, true, false "
                    + "or null)";
        } else if (message.startsWith("Unexpected end-of-input")) {
            return "the text ends in the middle of a value";
        }
        int newline = message.indexOf('\n');
        return "not valid: " + (newline < 0 ? message : message.substring(0, newline));
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
