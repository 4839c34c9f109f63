package io.edgeagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Event types the user declares under {@code eventTypes:}: type name -> field name -> field type. Every declared
 * event also has {@code id}, {@code deviceId}, {@code eventTime}, {@code receivedTime} and {@code topic}, like the
 * built-in ones.
 */
public record EventTypes(Map<String, Map<String, String>> types) implements Section {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private static final List<String> BUILT_IN_KINDS = List.of("Reading", "Location", "Derived");

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

    /** Checks the names and field types of each declared type; {@code here} stands at {@code eventTypes}. */
    @Override
    public void validate(Validation here) {
        for (Map.Entry<String, Map<String, String>> type : types.entrySet()) {
            Validation at = here.at(type.getKey());
            if (!IDENTIFIER.matcher(type.getKey()).matches()) {
                at.problem("", type.getKey(), "expected a type name of up to 32 letters, digits and '_', starting with a letter");
            } else if (BUILT_IN_KINDS.stream().anyMatch(k -> k.equalsIgnoreCase(type.getKey()))) {
                at.problem("", type.getKey(), "expected a name other than the built-in " + BUILT_IN_KINDS);
            }
            if (type.getValue().isEmpty()) {
                at.problem("", null, "expected at least one field (name: type)");
            }
            for (Map.Entry<String, String> field : type.getValue().entrySet()) {
                if (!IDENTIFIER.matcher(field.getKey()).matches()) {
                    at.problem(field.getKey(), field.getKey(),
                            "expected a field name of up to 32 letters, digits and '_', starting with a letter");
                } else if (RESERVED_FIELDS.contains(field.getKey())) {
                    at.problem(field.getKey(), field.getKey(), "expected a name other than " + RESERVED_FIELDS
                            + ", which every event has");
                }
                if (field.getValue() == null || !FIELD_TYPES.containsKey(field.getValue())) {
                    at.problem(field.getKey(), field.getValue(), "expected one of " + new TreeSet<>(FIELD_TYPES.keySet()));
                }
            }
        }
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
     * Values read from JSON (a recorded event) as the declared field types, by {@link #convert}: what the agent's
     * decoder makes of the same values. Fields not declared are dropped; declared fields that are missing stay absent.
     *
     * @throws IllegalArgumentException naming the type or field that does not fit
     */
    public Map<String, Object> coerce(String name, Map<String, Object> values) {
        if (!declares(name)) {
            throw new IllegalArgumentException("field 'kind': expected Reading, Location or a declared event type "
                    + types.keySet() + " but found \"" + name + "\"" + (types.isEmpty()
                    ? " (a type declared under eventTypes needs --config naming that configuration)" : ""));
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : fields(name).entrySet()) {
            try {
                typed.put(field.getKey(), convert(field.getValue(), values.get(field.getKey())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field 'fields." + field.getKey() + "': " + e.getMessage());
            }
        }
        return typed;
    }

    /**
     * One value as a declared field {@code type}: the one conversion that the decoder (text from a topic or a JSON
     * payload, numbers as JSON has them) and {@code rules test} (a recorded event) share. Whole numbers stay exact.
     *
     * @param raw a String, Number or Boolean; null stays null
     * @throws IllegalArgumentException saying what was expected and what was found
     */
    public static Object convert(String type, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case "string" -> raw.toString();
            case "double" -> toDouble(raw);
            case "long" -> toLong(raw);
            case "boolean" -> toBoolean(raw);
            default -> throw new IllegalArgumentException("an undeclared field type '" + type + "'");
        };
    }

    private static Double toDouble(Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.valueOf(raw.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number but found " + quoted(raw));
        }
    }

    private static Long toLong(Object raw) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        String text = raw.toString().strip();
        try {
            return Long.valueOf(text);
        } catch (NumberFormatException notAnInteger) {
            try {
                // 5.0 or 5e3 is a whole number too; exact only up to 2^53, which is where doubles stop being exact.
                double d = Double.parseDouble(text);
                if (d == Math.rint(d) && Math.abs(d) <= 9.007199254740992E15) {
                    return (long) d;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new IllegalArgumentException("expected a whole number from -2^63 to 2^63-1 but found " + quoted(raw));
        }
    }

    private static Boolean toBoolean(Object raw) {
        return switch (raw.toString().strip()) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false but found " + quoted(raw));
        };
    }

    private static String quoted(Object raw) {
        return raw instanceof String text ? "\"" + text + "\"" : String.valueOf(raw);
    }

    /** A canonical text of every declaration: what compiled rules depend on. */
    public String fingerprint() {
        Map<String, Map<String, String>> sorted = new TreeMap<>();
        types.forEach((name, fields) -> sorted.put(name, new TreeMap<>(fields)));
        return sorted.toString();
    }
}
