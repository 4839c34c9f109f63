package io.edgeagent.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event the agent made itself, e.g. an alert that a rule's {@code emit} step raised. It goes into the buffer and
 * upstream like a device event, but is never fed back into the rules. {@code type} is the emit step's event name;
 * {@code topic} is {@code rules/<rule>} so a receiver sees which rule raised it. {@code id} is stable per action run
 * and step, so a retried upload carries the same id.
 */
public record Derived(String id, String deviceId, String type, Map<String, Object> fields, long eventTime,
                      long receivedTime, String topic) implements Event {

    public static final String KIND = "Derived";

    public Derived {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String kind() {
        return KIND;
    }
}
