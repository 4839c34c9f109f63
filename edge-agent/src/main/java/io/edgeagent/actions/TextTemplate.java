package io.edgeagent.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code {field}} template, split once into literal text and placeholders, so that rendering is appends only:
 * no pattern matching per action run.
 */
final class TextTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.]*)}");
    private static final BoundedCache<String, TextTemplate> PARSED = new BoundedCache<>(4096);

    /** Places one field value ({@code null} for a field whose value is null) at {@code at}, or refuses it. */
    @FunctionalInterface
    interface Placement<X extends Exception> {
        String place(String field, String value, int at) throws X;
    }

    private final String source;
    /** {@code literals[i]} comes before {@code names[i]}; the last literal ends the text. */
    private final String[] literals;
    private final String[] names;
    /** Where each placeholder starts in the source. */
    private final int[] starts;

    private TextTemplate(String source, String[] literals, String[] names, int[] starts) {
        this.source = source;
        this.literals = literals;
        this.names = names;
        this.starts = starts;
    }

    static TextTemplate of(String text) {
        return PARSED.get(text, TextTemplate::parse);
    }

    private static TextTemplate parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int from = 0;
        while (m.find()) {
            literals.add(text.substring(from, m.start()));
            names.add(m.group(1));
            starts.add(m.start());
            from = m.end();
        }
        literals.add(text.substring(from));
        return new TextTemplate(text, literals.toArray(String[]::new), names.toArray(String[]::new),
                starts.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The field the text consists of, when it is exactly one placeholder; otherwise null. */
    String wholeField() {
        return names.length == 1 && literals[0].isEmpty() && literals[1].isEmpty() ? names[0] : null;
    }

    boolean hasPlaceholders() {
        return names.length > 0;
    }

    /** Fields the template names but {@code fields} lacks stay as written, so a typo shows in the output. */
    <X extends Exception> String render(Map<String, Object> fields, Placement<X> placement) throws X {
        if (names.length == 0) {
            return source;
        }
        StringBuilder out = new StringBuilder(source.length() + 16 * names.length);
        for (int i = 0; i < names.length; i++) {
            out.append(literals[i]);
            String name = names[i];
            Object value = fields.get(name);
            if (value == null && !fields.containsKey(name)) {
                out.append('{').append(name).append('}');
            } else {
                out.append(placement.place(name, value == null ? null : Template.format(value), starts[i]));
            }
        }
        return out.append(literals[names.length]).toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
