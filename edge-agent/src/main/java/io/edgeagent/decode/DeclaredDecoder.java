package io.edgeagent.decode;

import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.FieldSource;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON payloads of an event type declared under {@code eventTypes:}. Each declared field is read from where the
 * input's {@code fields} mapping says, by default the JSON member of the same name; {@code id}, {@code deviceId} and
 * {@code timestamp} as for readings. A declared field the payload lacks is null; one of the wrong type is an error.
 */
final class DeclaredDecoder implements PayloadDecoder {

    private record Field(String name, String type, FieldSource source) {
    }

    private final String kind;
    private final FieldSource id;
    private final FieldSource deviceId;
    private final FieldSource timestamp;
    private final List<Field> fields;
    private final EventTimeWindow window;

    DeclaredDecoder(String kind, Map<String, String> declared, Map<String, FieldSource> overrides,
                    EventTimeWindow window) {
        this.window = window;
        this.kind = kind;
        this.id = overrides.getOrDefault("id", FieldSource.parse("/id"));
        this.deviceId = overrides.getOrDefault("deviceId", FieldSource.parse("/deviceId"));
        this.timestamp = overrides.getOrDefault("timestamp", FieldSource.parse("/ts"));
        this.fields = declared.entrySet().stream().map(e -> new Field(e.getKey(), e.getValue(),
                overrides.getOrDefault(e.getKey(), FieldSource.parse("/" + e.getKey())))).toList();
    }

    @Override
    public List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException {
        Fields f = new Fields(topic, payload, Json.object(payload));
        Envelope e = Envelope.read(f, id, deviceId, timestamp, topic, payload, receivedTime, window);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : fields) {
            values.put(field.name(), value(f, field));
        }
        return List.of(new DeclaredEvent(kind, e.id(), e.deviceId(), values, e.eventTime(), receivedTime, e.topic()));
    }

    /** The field's text (or number, for doubles) from its source, typed by the one conversion rules test uses too. */
    private static Object value(Fields f, Field field) throws DecodeException {
        Object raw = field.type().equals("double") ? f.number(field.name(), field.source())
                : f.text(field.name(), field.source());
        try {
            Object typed = EventTypes.convert(field.type(), raw);
            return typed instanceof String text ? Canonical.of(text) : typed;
        } catch (IllegalArgumentException e) {
            throw new DecodeException("field '" + field.name() + "' (" + f.where(field.source()) + "): " + e.getMessage());
        }
    }
}
