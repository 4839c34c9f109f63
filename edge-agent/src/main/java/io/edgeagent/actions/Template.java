package io.edgeagent.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {field}} substitution from a rule's output. In a JSON tree only string values are touched, so the result is
 * always valid JSON whatever the field values contain; a string that is exactly one placeholder takes the field's own
 * type. Unknown fields are left as written, so a typo shows up in the output instead of vanishing.
 */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.]*)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MathContext SIGNIFICANT = new MathContext(10);

    private Template() {
    }

    public static String render(String text, Map<String, Object> fields) {
        if (text == null || text.indexOf('{') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = fields.containsKey(name) ? format(fields.get(name)) : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A rendered copy of {@code tree}; the input is not changed. */
    public static JsonNode render(JsonNode tree, Map<String, Object> fields) {
        if (tree.isTextual()) {
            Matcher whole = PLACEHOLDER.matcher(tree.textValue());
            if (whole.matches() && fields.containsKey(whole.group(1))) {
                Object value = fields.get(whole.group(1));
                return value instanceof Double d && Double.isFinite(d)
                        ? MAPPER.getNodeFactory().numberNode(tidy(d)) : MAPPER.valueToTree(value);
            }
            return MAPPER.getNodeFactory().textNode(render(tree.textValue(), fields));
        } else if (tree.isObject()) {
            ObjectNode copy = MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(render(e.getKey(), fields), render(e.getValue(), fields));
            }
            return copy;
        } else if (tree.isArray()) {
            ArrayNode copy = MAPPER.createArrayNode();
            tree.forEach(item -> copy.add(render(item, fields)));
            return copy;
        }
        return tree;
    }

    private static String format(Object value) {
        if (value instanceof Double d && Double.isFinite(d)) {
            return tidy(d).toPlainString();
        }
        return String.valueOf(value);
    }

    /** 93.60000000000001 (binary floating-point noise) becomes 93.6, and 9.0 becomes 9: what a person wrote. */
    private static BigDecimal tidy(double d) {
        BigDecimal rounded = BigDecimal.valueOf(d).round(SIGNIFICANT).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
