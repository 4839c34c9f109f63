package io.edgeagent.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Derived;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The upload wire format of one event (docs/uplink.md): a flat JSON object with {@code id}, {@code kind}, the event's
 * fields, {@code eventTime} and {@code receivedTime} in epoch milliseconds, and the source {@code topic}. It is what
 * the buffer stores, so an upload sends exactly the bytes that were made durable; it is also the line format of
 * recorded event files that {@code rules test} replays, so a recording of live traffic is a test fixture as it is.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** Content after the object is an error, not ignored: a payload is one object or a dead letter. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EventJson() {
    }

    /**
     * The stored and uploaded JSON of {@code event}. Readings and locations, the events of every message, are written
     * by hand: the same bytes Jackson writes (field order, {@link Double#toString} numbers, Jackson's escapes), without
     * a generator, a writer and their buffers per event. Derived and declared events, with their free-form fields,
     * go through Jackson.
     */
    public static String toJson(Event event) {
        if (event instanceof Reading r) {
            StringBuilder b = start(r, 320);
            field(b, "type", r.type());
            number(b, "value", r.value());
            if (r.unit() != null) {
                field(b, "unit", r.unit());
            }
            return end(b, r);
        } else if (event instanceof Location l) {
            StringBuilder b = start(l, 320);
            number(b, "lat", l.lat());
            number(b, "lon", l.lon());
            optionalNumber(b, "accuracy", l.accuracy());
            optionalNumber(b, "speed", l.speed());
            optionalNumber(b, "heading", l.heading());
            return end(b, l);
        }
        return jacksonJson(event);
    }

    private static StringBuilder start(Event event, int capacity) {
        StringBuilder b = new StringBuilder(capacity);
        b.append("{\"id\":");
        value(b, event.id());
        field(b, "kind", event.kind());
        field(b, "deviceId", event.deviceId());
        return b;
    }

    private static String end(StringBuilder b, Event event) {
        b.append(",\"eventTime\":").append(event.eventTime());
        b.append(",\"receivedTime\":").append(event.receivedTime());
        field(b, "topic", event.topic());
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        value(b, value);
    }

    private static void value(StringBuilder b, String value) {
        if (value == null) {
            b.append("null");
        } else {
            JsonText.string(b, value);
        }
    }

    private static void number(StringBuilder b, String name, double value) {
        b.append(",\"").append(name).append("\":");
        JsonText.number(b, value);
    }

    private static void optionalNumber(StringBuilder b, String name, Double value) {
        if (value != null) {
            number(b, name, value);
        }
    }

    /** The same JSON through Jackson's generator: derived events, and the reference the hand-written path must match. */
    public static String jacksonJson(Event event) {
        StringWriter out = new StringWriter(192);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", event.id());
            g.writeStringField("kind", event.kind());
            g.writeStringField("deviceId", event.deviceId());
            if (event instanceof Reading r) {
                g.writeStringField("type", r.type());
                g.writeNumberField("value", r.value());
                if (r.unit() != null) {
                    g.writeStringField("unit", r.unit());
                }
            } else if (event instanceof Location l) {
                g.writeNumberField("lat", l.lat());
                g.writeNumberField("lon", l.lon());
                optional(g, "accuracy", l.accuracy());
                optional(g, "speed", l.speed());
                optional(g, "heading", l.heading());
            } else if (event instanceof Derived d) {
                g.writeStringField("type", d.type());
                g.writeFieldName("fields");
                MAPPER.writeValue(g, d.fields());
            } else if (event instanceof DeclaredEvent d) {
                g.writeFieldName("fields");
                MAPPER.writeValue(g, d.fields());
            }
            g.writeNumberField("eventTime", event.eventTime());
            g.writeNumberField("receivedTime", event.receivedTime());
            g.writeStringField("topic", event.topic());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * Reads one event written by {@link #toJson} or by hand. Required: {@code kind} (Reading, Location or Derived, any
     * case, or a declared type's name with its values in a {@code fields} object, which the caller types),
     * {@code deviceId}, {@code eventTime} (epoch ms or ISO-8601), and the kind's fields ({@code type} and
     * {@code value}; {@code lat} and {@code lon}). Missing {@code id} becomes {@code defaultId}, missing
     * {@code receivedTime} the event time, missing {@code topic} the empty string.
     *
     * @throws IllegalArgumentException naming the missing or ill-typed field
     */
    public static Event fromJson(String json, String defaultId) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(notJson(e));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object per line");
        }
        String kind = text(node, "kind");
        String id = node.hasNonNull("id") ? node.get("id").asText() : defaultId;
        String deviceId = text(node, "deviceId");
        long eventTime = time(node, "eventTime");
        long receivedTime = node.hasNonNull("receivedTime") ? time(node, "receivedTime") : eventTime;
        String topic = node.path("topic").asText("");
        if (kind.equalsIgnoreCase(Reading.KIND)) {
            return new Reading(id, deviceId, text(node, "type"), number(node, "value"),
                    node.hasNonNull("unit") ? node.get("unit").asText() : null, eventTime, receivedTime, topic);
        } else if (kind.equalsIgnoreCase(Location.KIND)) {
            return new Location(id, deviceId, number(node, "lat"), number(node, "lon"), optionalNumber(node, "accuracy"),
                    optionalNumber(node, "speed"), optionalNumber(node, "heading"), eventTime, receivedTime, topic);
        } else if (kind.equalsIgnoreCase(Derived.KIND)) {
            Map<String, Object> fields = node.path("fields").isObject()
                    ? MAPPER.convertValue(node.get("fields"), new TypeReference<LinkedHashMap<String, Object>>() { })
                    : Map.of();
            return new Derived(id, deviceId, text(node, "type"), fields, eventTime, receivedTime, topic);
        } else if (node.path("fields").isObject()) {
            // An event of a declared type: its kind is the type's name, its values are under "fields".
            Map<String, Object> fields = MAPPER.convertValue(node.get("fields"),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            return new DeclaredEvent(kind, id, deviceId, fields, eventTime, receivedTime, topic);
        }
        throw new IllegalArgumentException("field 'kind': expected Reading, Location, Derived, or a declared event type "
                + "with its values under \"fields\", but found \"" + kind + "\"");
    }

    /**
     * Where the line stops being JSON, and what went wrong in a few words: Jackson's own message names its internals
     * (tokens, start markers, the source) and repeats the line.
     */
    private static String notJson(JsonProcessingException e) {
        String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        int cut = reason.indexOf(':');
        reason = (cut > 0 ? reason.substring(0, cut) : reason).replaceAll(" \\(code \\d+\\)", "")
                .replaceAll(" within/between \\w+ entries", "").replace("end-of-input", "end of line");
        reason = reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        return "not valid JSON" + (column > 0 ? " at column " + column : "") + (reason.isBlank() ? "" : " (" + reason + ")")
                + "; expected one JSON object per line, e.g. {\"kind\": \"Reading\", \"deviceId\": \"d1\", ...}";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode()) {
            throw new IllegalArgumentException("field '" + field + "': required");
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "': expected a number");
        }
        return value.doubleValue();
    }

    private static Double optionalNumber(JsonNode node, String field) {
        return node.hasNonNull(field) ? number(node, field) : null;
    }

    private static long time(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value != null && value.isNumber()) {
            return value.longValue();
        }
        try {
            return Instant.parse(text(node, field)).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "': expected epoch milliseconds or an ISO-8601 instant");
        }
    }

    private static void optional(JsonGenerator g, String name, Double value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value);
        }
    }
}
