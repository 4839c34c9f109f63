package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;

/**
 * The common payload shape, read without Jackson's parser: one flat JSON object whose values are ASCII strings
 * without escapes, numbers, {@code true}, {@code false} or {@code null}, as sensors send it. The result is the tree
 * {@code ObjectMapper.readTree} builds for the same bytes (the same node types and values, the last of duplicate
 * keys); anything else (nesting, escapes, non-ASCII, invalid JSON, trailing content) returns null and goes through
 * Jackson, which also words the errors. Creating Jackson's parser and deserialization context per message cost more
 * than the parse itself.
 */
final class FlatJson {

    /** Longer numbers go through Jackson (its limits and its big-number nodes). */
    private static final int MAX_NUMBER = 64;

    private final byte[] b;
    private int i;

    private FlatJson(byte[] payload) {
        this.b = payload;
    }

    /** @return the object, or null when the payload is not of the simple shape (the caller then asks Jackson) */
    static ObjectNode parse(byte[] payload) {
        return new FlatJson(payload).object();
    }

    private ObjectNode object() {
        skipSpace();
        if (!next('{')) {
            return null;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        skipSpace();
        if (next('}')) {
            return end(node);
        }
        while (true) {
            skipSpace();
            String name = string();
            if (name == null) {
                return null;
            }
            skipSpace();
            if (!next(':')) {
                return null;
            }
            skipSpace();
            JsonNode value = value();
            if (value == null) {
                return null;
            }
            node.replace(name, value);
            skipSpace();
            if (next('}')) {
                return end(node);
            }
            if (!next(',')) {
                return null;
            }
        }
    }

    private ObjectNode end(ObjectNode node) {
        skipSpace();
        return i == b.length ? node : null;
    }

    private JsonNode value() {
        if (i >= b.length) {
            return null;
        }
        byte c = b[i];
        if (c == '"') {
            String text = string();
            return text == null ? null : TextNode.valueOf(text);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        } else if (literal("true")) {
            return BooleanNode.TRUE;
        } else if (literal("false")) {
            return BooleanNode.FALSE;
        } else if (literal("null")) {
            return NullNode.getInstance();
        }
        return null;
    }

    /** A string of printable ASCII without escapes, or null. */
    private String string() {
        if (!next('"')) {
            return null;
        }
        int start = i;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                String s = new String(b, start, i - start, StandardCharsets.ISO_8859_1);
                i++;
                return s;
            }
            if (c < 0x20 || c == '\\') {
                // Control characters, escapes and (as negative bytes) everything beyond ASCII: Jackson's job.
                return null;
            }
            i++;
        }
        return null;
    }

    /** A number in JSON's grammar, as Jackson's tree holds it: int, long or double. Null for anything else. */
    private JsonNode number() {
        int start = i;
        if (b[i] == '-') {
            i++;
        }
        int intStart = i;
        if (i < b.length && b[i] == '0') {
            i++;
        } else {
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        }
        int intDigits = i - intStart;
        if (intDigits == 0) {
            return null;
        }
        boolean floating = false;
        if (i < b.length && b[i] == '.') {
            i++;
            if (digits() == 0) {
                return null;
            }
            floating = true;
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            if (digits() == 0) {
                return null;
            }
            floating = true;
        }
        if (i < b.length && b[i] != ',' && b[i] != '}' && !isSpace(b[i])) {
            return null;
        }
        int length = i - start;
        if (length > MAX_NUMBER) {
            return null;
        }
        String text = new String(b, start, length, StandardCharsets.ISO_8859_1);
        if (floating) {
            return DoubleNode.valueOf(Double.parseDouble(text));
        }
        if (intDigits > 18) {
            return null;
        }
        long value = Long.parseLong(text);
        return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }

    private int digits() {
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - start;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (i + n > b.length) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        int after = i + n;
        if (after < b.length && b[after] != ',' && b[after] != '}' && !isSpace(b[after])) {
            return false;
        }
        i = after;
        return true;
    }

    private boolean next(char c) {
        if (i < b.length && b[i] == c) {
            i++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
