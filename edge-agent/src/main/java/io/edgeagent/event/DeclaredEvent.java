package io.edgeagent.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event of a type the user declared under {@code eventTypes:} in the configuration (a vibration spectrum, a
 * machine state, a meter reading with several values). {@code kind} is the declared type name, which rules use in
 * EPL; {@code fields} holds the declared fields by name, typed as declared ({@code String}, {@code Double},
 * {@code Long}, {@code Boolean}), a field the payload did not carry as null.
 */
public record DeclaredEvent(String kind, String id, String deviceId, Map<String, Object> fields, long eventTime,
                            long receivedTime, String topic) implements Event {

    public DeclaredEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The event as Esper sees it: the declared fields plus id, deviceId, eventTime, receivedTime and topic. */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>(fields);
        properties.put("id", id);
        properties.put("deviceId", deviceId);
        properties.put("eventTime", eventTime);
        properties.put("receivedTime", receivedTime);
        properties.put("topic", topic);
        return properties;
    }
}
