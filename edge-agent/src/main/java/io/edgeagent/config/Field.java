package io.edgeagent.config;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One configuration key, declared once as a constant of the record that holds it: its name, its default and the
 * checks its value must pass (after Debezium's {@code Field}). The record's constructor takes the default from here
 * ({@code qos = QOS.or(qos)}) and {@link Validation} applies the checks to the component of the same name, so a
 * key's default and its rule never live apart. What a key means is documented where people read it, in config.yaml
 * and docs/configuration.md; a test keeps both in step with these declarations.
 *
 * @param <T> the bound type of the value
 */
public final class Field<T> {

    private static final Map<Class<?>, Map<String, Field<?>>> DECLARED = new ConcurrentHashMap<>();

    private final String name;
    private final T defaultValue;
    private final List<Check<? super T>> checks;

    private Field(String name, T defaultValue, List<Check<? super T>> checks) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.checks = checks;
    }

    /** A key whose default is {@code defaultValue} (null: not set) and whose value must pass every check. */
    @SafeVarargs
    // javac flags any use of a generic varargs array; List.of only copies it, which is what @SafeVarargs promises.
    @SuppressWarnings("varargs")
    public static <T> Field<T> of(String name, T defaultValue, Check<? super T>... checks) {
        return new Field<>(name, defaultValue, List.of(checks));
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The value bound from the file, or the default when the key was left out. */
    public T or(T value) {
        return value == null ? defaultValue : value;
    }

    /** Reports, at this key under {@code section}, what each failed check expected. */
    void check(Object value, Validation section) {
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        for (Check<? super T> check : checks) {
            String expectation = check.expectation(typed);
            if (expectation != null) {
                section.problem(name, display(value), expectation);
            }
        }
    }

    /** A value the way a person writes it in config.yaml. */
    static String display(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
    }

    /** The keys {@code section} declares, by name, in declaration order. */
    static Map<String, Field<?>> declaredBy(Class<?> section) {
        return DECLARED.computeIfAbsent(section, Field::scan);
    }

    private static Map<String, Field<?>> scan(Class<?> section) {
        Map<String, Field<?>> fields = new LinkedHashMap<>();
        for (java.lang.reflect.Field constant : section.getDeclaredFields()) {
            if (Modifier.isStatic(constant.getModifiers()) && constant.getType() == Field.class) {
                try {
                    constant.setAccessible(true);
                    Field<?> field = (Field<?>) constant.get(null);
                    fields.put(field.name(), field);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + section.getSimpleName() + "." + constant.getName(), e);
                }
            }
        }
        return Map.copyOf(fields);
    }

    @Override
    public String toString() {
        return name + " (default " + display(defaultValue) + ")";
    }
}
