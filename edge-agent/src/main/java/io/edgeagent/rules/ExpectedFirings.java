package io.edgeagent.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.event.RuleFiring;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares the firings of a replay with an expectation file: one JSON object per line, in firing order, with the
 * rule's {@code rule} name and optionally {@code time} (epoch ms or ISO-8601), {@code key} and {@code fields} (only
 * the fields listed are compared; numbers within 1e-6). The firing count must match exactly, so an expectation file
 * also says what must NOT fire.
 */
public final class ExpectedFirings {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double TOLERANCE = 1e-6;

    private final List<JsonNode> expected;

    private ExpectedFirings(List<JsonNode> expected) {
        this.expected = expected;
    }

    /** @throws IllegalArgumentException naming the line that is not a JSON object */
    public static ExpectedFirings parse(List<String> lines) {
        List<JsonNode> expected = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                JsonNode node = MAPPER.readTree(line);
                if (!node.isObject() || !node.hasNonNull("rule")) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": expected an object with a \"rule\" field");
                }
                expected.add(node);
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not valid JSON");
            }
        }
        return new ExpectedFirings(expected);
    }

    /** @return one human-readable line per difference; empty when the firings match */
    public List<String> differences(List<RuleFiring> actual) {
        List<String> differences = new ArrayList<>();
        int n = Math.max(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (i >= actual.size()) {
                differences.add("firing " + (i + 1) + ": expected " + expected.get(i) + " but nothing fired");
                continue;
            }
            if (i >= expected.size()) {
                differences.add("firing " + (i + 1) + ": unexpected " + describe(actual.get(i)));
                continue;
            }
            String mismatch = mismatch(expected.get(i), actual.get(i));
            if (mismatch != null) {
                differences.add("firing " + (i + 1) + ": " + mismatch + "; expected " + expected.get(i) + ", got "
                        + describe(actual.get(i)));
            }
        }
        return differences;
    }

    private static String mismatch(JsonNode want, RuleFiring got) {
        if (!want.get("rule").asText().equals(got.rule())) {
            return "rule differs";
        }
        if (want.hasNonNull("key") && !want.get("key").asText().equals(got.key())) {
            return "key differs";
        }
        if (want.hasNonNull("time") && time(want.get("time")) != got.firedAt()) {
            return "time differs";
        }
        JsonNode fields = want.path("fields");
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (!got.fields().containsKey(field.getKey())) {
                return "field " + field.getKey() + " missing";
            }
            if (!sameValue(field.getValue(), got.fields().get(field.getKey()))) {
                return "field " + field.getKey() + " differs";
            }
        }
        return null;
    }

    private static boolean sameValue(JsonNode want, Object got) {
        if (want.isNumber() && got instanceof Number number) {
            return Math.abs(want.doubleValue() - number.doubleValue()) <= TOLERANCE;
        }
        if (want.isNull()) {
            return got == null;
        }
        return got != null && want.asText().equals(String.valueOf(got));
    }

    private static long time(JsonNode node) {
        if (node.isNumber()) {
            return node.longValue();
        }
        try {
            return Instant.parse(node.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The JSON line form of a firing, as {@code rules test} prints it and as an expectation file holds it. */
    public static String describe(RuleFiring firing) {
        Map<String, Object> line = new java.util.LinkedHashMap<>();
        line.put("rule", firing.rule());
        line.put("time", Instant.ofEpochMilli(firing.firedAt()).toString());
        line.put("key", firing.key());
        line.put("fields", firing.fields());
        try {
            return MAPPER.writeValueAsString(line);
        } catch (IOException e) {
            return line.toString();
        }
    }
}
