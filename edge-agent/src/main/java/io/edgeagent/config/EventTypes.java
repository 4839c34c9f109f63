package io.edgeagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Event types the user declares under {@code eventTypes:}: type name -> field name -> field type. Every declared
 * event also has {@code id}, {@code deviceId}, {@code eventTime}, {@code receivedTime} and {@code topic}, like the
 * built-in ones.
 */
public record EventTypes(Map<String, Map<String, String>> types) {

    /** Field types and the Java types they become in events and in EPL. */
    public static final Map<String, Class<?>> FIELD_TYPES =
            Map.of("string", String.class, "double", Double.class, "long", Long.class, "boolean", Boolean.class);
    /** Properties every declared event has besides its fields, as Esper sees them. */
    public static final Map<String, Class<?>> COMMON_PROPERTIES = commonProperties();
    /** Names a declared field may not use: the common properties, and the input field source {@code timestamp}. */
    public static final List<String> RESERVED_FIELDS = reservedFields();

    public EventTypes {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        if (types != null) {
            types.forEach((name, fields) -> copy.put(name,
                    Collections.unmodifiableMap(new LinkedHashMap<>(fields == null ? Map.of() : fields))));
        }
        types = Collections.unmodifiableMap(copy);
    }

    private static Map<String, Class<?>> commonProperties() {
        Map<String, Class<?>> properties = new LinkedHashMap<>();
        properties.put("id", String.class);
        properties.put("deviceId", String.class);
        properties.put("eventTime", Long.class);
        properties.put("receivedTime", Long.class);
        properties.put("topic", String.class);
        return Collections.unmodifiableMap(properties);
    }

    private static List<String> reservedFields() {
        List<String> names = new ArrayList<>(COMMON_PROPERTIES.keySet());
        names.add("timestamp");
        return List.copyOf(names);
    }

    public static EventTypes none() {
        return new EventTypes(Map.of());
    }

    public boolean declares(String name) {
        return types.containsKey(name);
    }

    public Map<String, String> fields(String name) {
        return types.getOrDefault(name, Map.of());
    }

    /**
     * Values read from JSON (a recorded event) as the declared field types: JSON integers become Long or Double as
     * declared. Fields not declared are dropped; declared fields that are missing stay absent.
     *
     * @throws IllegalArgumentException naming the type or field that does not fit
     */
    public Map<String, Object> coerce(String name, Map<String, Object> values) {
        if (!declares(name)) {
            throw new IllegalArgumentException("field 'kind': expected Reading, Location or a declared event type "
                    + types.keySet() + " but found \"" + name + "\"");
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields(name).entrySet()) {
            Object value = values.get(field.getKey());
            Class<?> type = FIELD_TYPES.get(field.getValue());
            if (value == null) {
                typed.put(field.getKey(), null);
            } else if (type == Double.class && value instanceof Number n) {
                typed.put(field.getKey(), n.doubleValue());
            } else if (type == Long.class && value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                typed.put(field.getKey(), n.longValue());
            } else if (type.isInstance(value)) {
                typed.put(field.getKey(), value);
            } else {
                throw new IllegalArgumentException("field 'fields." + field.getKey() + "': expected a " + field.getValue()
                        + " but found " + value);
            }
        }
        return typed;
    }

    /** A canonical text of every declaration: what compiled rules depend on. */
    public String fingerprint() {
        Map<String, Map<String, String>> sorted = new TreeMap<>();
        types.forEach((name, fields) -> sorted.put(name, new TreeMap<>(fields)));
        return sorted.toString();
    }
}
