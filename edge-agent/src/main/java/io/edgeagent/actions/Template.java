package io.edgeagent.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.TopicFilters;
import io.edgeagent.mqtt.PatchedPaho;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code {field}} substitution from a rule's output. Each template is parsed once ({@link TextTemplate},
 * {@link JsonTemplate}); a run only appends. In a JSON payload only string values and keys are touched, so the result
 * is always valid JSON whatever the field values contain; a string that is exactly one placeholder takes the field's
 * own type. Unknown fields are left as written, so a typo shows up in the output instead of vanishing; a field whose
 * value is null renders as nothing in text (JSON null for a whole JSON value), and is refused in a topic.
 *
 * <p>Field values are data, never structure (docs/security.md): where the text is a topic, a URL or a program
 * argument, each value is placed so that it cannot change what the template says. {@link #topic} refuses a value
 * that would add a topic level or a wildcard, {@link #url} percent-encodes values, {@link #argument} refuses NUL.
 */
public final class Template {

    private static final MathContext SIGNIFICANT = new MathContext(10);
    /** MQTT's limit on a topic name, in UTF-8 bytes. */
    static final int MAX_TOPIC_BYTES = 65_535;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+");

    private Template() {
    }

    /** Plain text: values go in as they are. */
    public static String render(String text, Map<String, Object> fields) {
        return text == null ? null : render(TextTemplate.of(text), fields);
    }

    static String render(TextTemplate text, Map<String, Object> fields) {
        return text.render(fields, (TextTemplate.Placement<RuntimeException>) (field, value, at) ->
                value == null ? "" : value);
    }

    /** A payload or body: JSON text for a YAML mapping or list, the rendered text for a YAML string. */
    public static String json(JsonNode tree, Map<String, Object> fields) {
        return JsonTemplate.of(tree).render(fields);
    }

    /**
     * An MQTT topic name (to publish to, or to await): each value stays inside the level the template puts it in.
     *
     * @throws RefusedValue for a value {@link #topicLevelProblem} names a problem with, a value that would start the
     *                      topic with '$' (the broker's own topics), or a topic beyond MQTT's length limit
     */
    static String topic(String template, Map<String, Object> fields) throws RefusedValue {
        TextTemplate.Placement<RefusedValue> level = (field, value, at) -> {
            if (value == null) {
                throw RefusedValue.empty(field, "the topic " + template);
            }
            String problem = topicLevelProblem(value);
            if (problem == null && at == 0 && value.startsWith("$")) {
                problem = "a topic starting with '$' is the broker's own";
            }
            if (problem != null) {
                throw new RefusedValue(field, value, "the topic " + template, problem);
            }
            return value;
        };
        String topic = TextTemplate.of(template).render(fields, level);
        if (topic.length() * 3L > MAX_TOPIC_BYTES && topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            throw new RefusedValue("the topic rendered from " + template + " is longer than MQTT's " + MAX_TOPIC_BYTES
                    + " bytes");
        }
        return topic;
    }

    /**
     * Why {@code value} cannot be (part of) one topic level, or null: it would add a level or a wildcard, or it holds a
     * character MQTT forbids or discourages (NUL, control characters, noncharacters, unpaired surrogates). Mosquitto
     * disconnects a client that sends those, which would cost every other device's commands on the same connection.
     */
    static String topicLevelProblem(String value) {
        String structure = TopicFilters.levelProblem(value);
        if (structure != null) {
            return structure;
        }
        String character = PatchedPaho.topicProblem(value);
        return character == null ? null : "it contains " + character;
    }

    /**
     * A URL: values in the path, query and fragment are percent-encoded (UTF-8; everything but letters, digits and
     * {@code -._~}), so they cannot add path segments, parameters or a fragment. A value that is only {@code .} or
     * {@code ..} in the path (a step up that servers resolve) is refused, and so is a value in the host that is not a
     * host name.
     */
    static String url(String template, Map<String, Object> fields) throws RefusedValue {
        int scheme = template.indexOf("://");
        int authorityEnd = scheme < 0 ? 0 : firstOf(template, scheme + 3, "/?#");
        int pathEnd = firstOf(template, authorityEnd, "?#");
        return TextTemplate.of(template).render(fields, (TextTemplate.Placement<RefusedValue>) (field, value, at) -> {
            if (at < authorityEnd) {
                if (value == null) {
                    throw RefusedValue.empty(field, "the host of " + template);
                }
                if (!HOST.matcher(value).matches()) {
                    throw new RefusedValue(field, value, "the host of " + template,
                            "expected a host name (letters, digits, '.' and '-')");
                }
                return value;
            }
            if (at < pathEnd && (value.equals(".") || value.equals(".."))) {
                throw new RefusedValue(field, value, "the path of " + template, "it would be a path step");
            }
            return value == null ? "" : percentEncode(value);
        });
    }

    /** One program argument, environment value or directory: any text but NUL, which no C string can hold. */
    static String argument(String template, Map<String, Object> fields) throws RefusedValue {
        return TextTemplate.of(template).render(fields, (TextTemplate.Placement<RefusedValue>) (field, value, at) -> {
            if (value == null) {
                return "";
            }
            if (value.indexOf('\0') >= 0) {
                throw new RefusedValue(field, value, "the program argument " + template,
                        "it contains NUL, which no program argument can hold");
            }
            return value;
        });
    }

    private static int firstOf(String text, int from, String chars) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    static String percentEncode(String value) {
        StringBuilder out = null;
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_' || b == '~';
            if (out == null && !unreserved) {
                out = new StringBuilder(bytes.length * 3).append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (out != null) {
                if (unreserved) {
                    out.append((char) b);
                } else {
                    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    static String format(Object value) {
        if (value instanceof Double d && Double.isFinite(d)) {
            return tidy(d).toPlainString();
        }
        return String.valueOf(value);
    }

    /** 93.60000000000001 (binary floating-point noise) becomes 93.6, and 9.0 becomes 9: what a person wrote. */
    static BigDecimal tidy(double d) {
        BigDecimal rounded = BigDecimal.valueOf(d).round(SIGNIFICANT).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
