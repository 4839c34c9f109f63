package io.edgeagent.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.wire.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A payload or body template (a YAML value) compiled once into JSON text with holes, so that a run appends strings
 * instead of copying a Jackson tree and serialising it. A YAML string is a text payload, sent as it is; a mapping or
 * list is JSON, where only string values and keys are templates and the result is valid JSON whatever the field
 * values hold. A string that is exactly one placeholder takes the field's own type (a number stays a number).
 */
final class JsonTemplate {

    private static final BoundedCache<BoundedCache.Identity, JsonTemplate> COMPILED = new BoundedCache<>(4096);

    /** One piece of the output. */
    private sealed interface Part permits Literal, StringHole, ValueHole {
        void write(StringBuilder out, Map<String, Object> fields);
    }

    /** JSON text written as it is. */
    private record Literal(String json) implements Part {
        @Override
        public void write(StringBuilder out, Map<String, Object> fields) {
            out.append(json);
        }
    }

    /** A JSON string (key or value) with placeholders among other text. */
    private record StringHole(TextTemplate text) implements Part {
        @Override
        public void write(StringBuilder out, Map<String, Object> fields) {
            JsonText.string(out, Template.render(text, fields));
        }
    }

    /** A JSON value that is exactly one placeholder; a field the run lacks leaves it as written, a string. */
    private record ValueHole(String field, TextTemplate asWritten) implements Part {
        @Override
        public void write(StringBuilder out, Map<String, Object> fields) {
            if (fields.containsKey(field)) {
                value(out, fields.get(field));
            } else {
                JsonText.string(out, asWritten.toString());
            }
        }
    }

    /** Set for a YAML string: the payload is that text, not JSON. */
    private final TextTemplate text;
    private final Part[] parts;

    private JsonTemplate(TextTemplate text, Part[] parts) {
        this.text = text;
        this.parts = parts;
    }

    static JsonTemplate of(JsonNode tree) {
        return COMPILED.get(new BoundedCache.Identity(tree), key -> compile(tree));
    }

    private static JsonTemplate compile(JsonNode tree) {
        if (tree.isTextual()) {
            return new JsonTemplate(TextTemplate.of(tree.textValue()), null);
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        compile(tree, parts, literal);
        flush(parts, literal);
        return new JsonTemplate(null, parts.toArray(Part[]::new));
    }

    private static void compile(JsonNode node, List<Part> parts, StringBuilder literal) {
        if (node.isObject()) {
            literal.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) {
                    literal.append(',');
                }
                first = false;
                string(e.getKey(), parts, literal);
                literal.append(':');
                compile(e.getValue(), parts, literal);
            }
            literal.append('}');
        } else if (node.isArray()) {
            literal.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    literal.append(',');
                }
                compile(node.get(i), parts, literal);
            }
            literal.append(']');
        } else if (node.isTextual()) {
            TextTemplate template = TextTemplate.of(node.textValue());
            String whole = template.wholeField();
            if (whole == null) {
                string(node.textValue(), parts, literal);
            } else {
                flush(parts, literal);
                parts.add(new ValueHole(whole, template));
            }
        } else {
            literal.append(node);
        }
    }

    private static void string(String value, List<Part> parts, StringBuilder literal) {
        TextTemplate template = TextTemplate.of(value);
        if (template.hasPlaceholders()) {
            flush(parts, literal);
            parts.add(new StringHole(template));
        } else {
            JsonText.string(literal, value);
        }
    }

    private static void flush(List<Part> parts, StringBuilder literal) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** The payload's text: JSON for a mapping or list, the rendered string for a YAML string. */
    String render(Map<String, Object> fields) {
        if (text != null) {
            String whole = text.wholeField();
            if (whole != null && fields.containsKey(whole) && !(fields.get(whole) instanceof String)) {
                StringBuilder out = new StringBuilder(16);
                value(out, fields.get(whole));
                return out.toString();
            }
            return Template.render(text, fields);
        }
        StringBuilder out = new StringBuilder(64);
        for (Part part : parts) {
            part.write(out, fields);
        }
        return out.toString();
    }

    private static void value(StringBuilder out, Object value) {
        if (value instanceof Double d && Double.isFinite(d)) {
            out.append(Template.tidy(d));
        } else {
            JsonText.value(out, value);
        }
    }
}
