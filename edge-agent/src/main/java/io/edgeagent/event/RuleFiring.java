package io.edgeagent.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule matched. {@code fields} are the columns of the rule's select clause, by name; {@code key} is the value the
 * rule's cooldown is kept per (often the device id), or the empty string for a rule without a key.
 */
public record RuleFiring(String rule, String key, Map<String, Object> fields, long firedAt) {

    public RuleFiring {
        // Select columns keep their order and may be null, so Map.copyOf does not fit.
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
