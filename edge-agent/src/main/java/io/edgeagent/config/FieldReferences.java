package io.edgeagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the output columns a rule file names: its explicit {@code key}, and every {@code {field}} placeholder in
 * the {@link Templated} components of its steps, their {@code when} and {@code await}, their compensation steps and
 * the steps of the workflows they call. The placeholder syntax is the one the actions stage renders.
 */
final class FieldReferences {

    /** Same as {@code io.edgeagent.actions.Template}'s; the actions stage cannot be imported here. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.]*)}");

    private final YamlLines lines;
    private final Map<String, List<ActionSpec>> workflows;
    private final List<FieldReference> found = new ArrayList<>();

    private FieldReferences(YamlLines lines, Map<String, List<ActionSpec>> workflows) {
        this.lines = lines;
        this.workflows = workflows;
    }

    /**
     * @param key the rule file's {@code key:}, or null when it has none (the default key need not be selected)
     * @param workflows the configured workflows' steps by name; empty where no configuration is at hand
     */
    static List<FieldReference> of(String key, List<ActionSpec> actions, Map<String, List<ActionSpec>> workflows,
                                   YamlLines lines) {
        FieldReferences references = new FieldReferences(lines, workflows);
        if (key != null) {
            references.found.add(new FieldReference("key", key, lines.lineOf("key")));
        }
        for (int i = 0; i < actions.size(); i++) {
            String at = "actions[" + i + "]";
            references.step(actions.get(i), at, 0, new HashSet<>());
        }
        return List.copyOf(references.found);
    }

    /**
     * @param line 0 to find each reference's line by its path; else the line every reference is reported at (a
     *        workflow's steps are in the configuration, so their references point at the rule's step that calls it)
     */
    private void step(ActionSpec step, String at, int line, Set<String> calling) {
        if (step == null) {
            return;
        }
        for (RecordComponent component : step.getClass().getRecordComponents()) {
            if (component.isAnnotationPresent(Templated.class)) {
                value(read(component, step), at + "." + component.getName(), line);
            }
        }
        text(step.when(), at + ".when", line);
        if (step.await() != null) {
            text(step.await().topic(), at + ".await.topic", line);
            text(step.await().match(), at + ".await.match", line);
        }
        for (int i = 0; i < step.compensate().size(); i++) {
            step(step.compensate().get(i), at + ".compensate[" + i + "]", line, calling);
        }
        if (step instanceof WorkflowAction call && workflows.containsKey(call.name()) && calling.add(call.name())) {
            List<ActionSpec> steps = workflows.get(call.name());
            int callLine = line == 0 ? lines.lineOf(at) : line;
            for (int i = 0; i < steps.size(); i++) {
                step(steps.get(i), at + " (workflow " + call.name() + ")[" + i + "]", callLine, calling);
            }
            calling.remove(call.name());
        }
    }

    private void value(Object value, String at, int line) {
        if (value instanceof String s) {
            text(s, at, line);
        } else if (value instanceof JsonNode tree) {
            json(tree, at, line);
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                value(item, at + "[" + i++ + "]", line);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> value(v, at + "." + k, line));
        }
    }

    private void json(JsonNode tree, String at, int line) {
        if (tree.isTextual()) {
            text(tree.textValue(), at, line);
        } else if (tree.isObject()) {
            for (Map.Entry<String, JsonNode> e : tree.properties()) {
                text(e.getKey(), at, line);
                json(e.getValue(), at + "." + e.getKey(), line);
            }
        } else if (tree.isArray()) {
            for (int i = 0; i < tree.size(); i++) {
                json(tree.get(i), at + "[" + i + "]", line);
            }
        }
    }

    private void text(String text, String at, int line) {
        if (text == null || text.indexOf('{') < 0) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(new FieldReference(at, m.group(1), line == 0 ? lines.lineOf(at) : line));
        }
    }

    private static Object read(RecordComponent component, ActionSpec step) {
        try {
            return component.getAccessor().invoke(step);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of a " + step.type() + " step", e);
        }
    }
}
