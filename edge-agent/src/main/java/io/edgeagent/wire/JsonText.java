package io.edgeagent.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * JSON written by hand, byte for byte as Jackson's default {@link ObjectMapper} writes it (Jackson's escapes,
 * {@link Double#toString} numbers, NaN and infinities as strings), without a generator, a writer and their buffers
 * per call: for paths that run per event or per action run, where Jackson's setup cost more than the writing
 * (docs/performance.md, EventJsonBench).
 */
public final class JsonText {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /**
     * A JSON object of {@code fields}: strings, numbers, booleans and nulls (what a firing's fields are) are written
     * by hand; any other value, nested maps and lists included, goes through Jackson, which bounds their nesting. The
     * text is what Jackson would write, except for a value Jackson cannot write, which becomes its text as a string.
     */
    public static String object(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder(32 + 24 * fields.size());
        object(b, fields);
        return b.toString();
    }

    private static void object(StringBuilder b, Map<String, ?> map) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            value(b, e.getValue());
        }
        b.append('}');
    }

    /** One value, as {@link #object} writes a field's value. */
    public static void value(StringBuilder b, Object value) {
        if (value == null) {
            b.append("null");
        } else if (value instanceof String s) {
            string(b, s);
        } else if (value instanceof Double d) {
            number(b, d);
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                b.append(f.floatValue());
            } else {
                b.append('"').append(f.floatValue()).append('"');
            }
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal || value instanceof Boolean) {
            b.append(value);
        } else {
            try {
                b.append(MAPPER.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                // What Jackson cannot write either: its text, as a string, rather than losing the whole object.
                string(b, String.valueOf(value));
            }
        }
    }

    /** A double as Jackson writes it by default: {@link Double#toString}, NaN and infinities as strings. */
    static void number(StringBuilder b, double value) {
        if (Double.isFinite(value)) {
            b.append(value);
        } else {
            b.append('"').append(value).append('"');
        }
    }

    /** A JSON string with Jackson's escapes: quote, backslash, and the control characters (short forms where JSON has them). */
    public static void string(StringBuilder b, String s) {
        int n = s.length();
        int first = 0;
        while (first < n && needsNoEscape(s.charAt(first))) {
            first++;
        }
        if (first == n) {
            // The usual case, appended whole (append(s, from, to) copies char by char).
            b.append('"').append(s).append('"');
            return;
        }
        b.append('"');
        int from = 0;
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (needsNoEscape(c)) {
                continue;
            }
            b.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        b.append(s, from, n).append('"');
    }

    private static boolean needsNoEscape(char c) {
        return c >= 0x20 && c != '"' && c != '\\';
    }
}
