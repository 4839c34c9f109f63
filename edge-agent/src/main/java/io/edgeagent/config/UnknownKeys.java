package io.edgeagent.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds keys that no record field matches, by walking the document alongside the record types. Jackson can report
 * unknown keys too, but for records it replays buffered tokens whose position no longer says where a key was, and a
 * misspelt section name ({@code brokr:}) is exactly the mistake whose path must be right.
 */
final class UnknownKeys {

    private final String source;
    private final YamlLines lines;
    private final List<Problem> problems;

    UnknownKeys(String source, YamlLines lines, List<Problem> problems) {
        this.source = source;
        this.lines = lines;
        this.problems = problems;
    }

    void check(JsonNode node, Type type, String path) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        Class<?> raw = raw(type);
        if (raw == List.class && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), argument(type, 0), path + "[" + i + "]");
            }
        } else if (raw == Map.class && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                check(e.getValue(), argument(type, 1), join(path, e.getKey()));
            }
        } else if (raw.isSealed() && node.isObject()) {
            Class<?> subtype = subtype(raw, node.path("type").asText(null));
            if (subtype != null) {
                checkRecord(node, subtype, path, "type");
            }
        } else if (raw.isRecord() && node.isObject()) {
            checkRecord(node, raw, path, null);
        }
    }

    private void checkRecord(JsonNode node, Class<?> record, String path, String extraKey) {
        Map<String, RecordComponent> fields = Arrays.stream(record.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, c -> c));
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = join(path, e.getKey());
            RecordComponent field = fields.get(e.getKey());
            if (field != null) {
                check(e.getValue(), field.getGenericType(), at);
            } else if (!e.getKey().equals(extraKey)) {
                TreeSet<String> known = new TreeSet<>(fields.keySet());
                if (extraKey != null) {
                    known.add(extraKey);
                }
                problems.add(new Problem(source, lines.lineOf(at), at, null,
                        "unknown key (known keys here: " + String.join(", ", known) + ")"));
            }
        }
    }

    private static Class<?> subtype(Class<?> sealed, String typeId) {
        JsonSubTypes subtypes = sealed.getAnnotation(JsonSubTypes.class);
        if (subtypes == null || typeId == null) {
            return null;
        }
        return Arrays.stream(subtypes.value()).filter(t -> t.name().equals(typeId)).map(JsonSubTypes.Type::value)
                .findFirst().orElse(null);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }
}
