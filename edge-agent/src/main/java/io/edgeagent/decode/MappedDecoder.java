package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.FieldSource;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code json} and {@code raw} formats: each event field is read from where the input's {@code fields} mapping
 * says, over defaults that match docs/event-format.md.
 */
final class MappedDecoder implements PayloadDecoder {

    private static final Map<String, String> JSON_READING = Map.of("id", "/id", "deviceId", "/deviceId", "type",
            "/type", "value", "/value", "unit", "/unit", "timestamp", "/ts");
    private static final Map<String, String> JSON_LOCATION = Map.of("id", "/id", "deviceId", "/deviceId", "lat",
            "/lat", "lon", "/lon", "accuracy", "/accuracy", "speed", "/speed", "heading", "/heading", "timestamp", "/ts");
    private static final Map<String, String> RAW_READING = Map.of("deviceId", "topic:1", "type", "topic:2", "value",
            "payload");

    private final boolean location;
    private final boolean json;
    private final Map<String, FieldSource> fields;
    private final EventTimeWindow window;
    // Looked up once here rather than per message.
    private final FieldSource id;
    private final FieldSource deviceId;
    private final FieldSource timestamp;
    private final FieldSource type;
    private final FieldSource value;
    private final FieldSource unit;
    private final FieldSource lat;
    private final FieldSource lon;
    private final FieldSource accuracy;
    private final FieldSource speed;
    private final FieldSource heading;

    MappedDecoder(String format, String event, Map<String, FieldSource> overrides, EventTimeWindow window) {
        this.window = window;
        this.json = !format.equals("raw");
        this.location = event.equals("location");
        Map<String, String> defaults = !json ? RAW_READING : location ? JSON_LOCATION : JSON_READING;
        Map<String, FieldSource> merged = new HashMap<>();
        defaults.forEach((name, source) -> merged.put(name, FieldSource.parse(source)));
        merged.putAll(overrides);
        this.fields = Map.copyOf(merged);
        this.id = fields.get("id");
        this.deviceId = fields.get("deviceId");
        this.timestamp = fields.get("timestamp");
        this.type = fields.get("type");
        this.value = fields.get("value");
        this.unit = fields.get("unit");
        this.lat = fields.get("lat");
        this.lon = fields.get("lon");
        this.accuracy = fields.get("accuracy");
        this.speed = fields.get("speed");
        this.heading = fields.get("heading");
    }

    @Override
    public List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException {
        JsonNode node = json ? Json.object(payload) : null;
        Fields f = new Fields(topic, payload, node);
        Envelope e = Envelope.read(f, id, deviceId, timestamp, topic, payload, receivedTime, window);
        if (location) {
            double latitude = f.requiredNumber("lat", lat);
            double longitude = f.requiredNumber("lon", lon);
            if (latitude < -90 || latitude > 90) {
                throw new DecodeException("field 'lat': expected a latitude from -90 to 90 but found " + latitude);
            }
            if (longitude < -180 || longitude > 180) {
                throw new DecodeException("field 'lon': expected a longitude from -180 to 180 but found " + longitude);
            }
            return List.of(new Location(e.id(), e.deviceId(), latitude, longitude, f.number("accuracy", accuracy),
                    f.number("speed", speed), f.number("heading", heading), e.eventTime(), receivedTime, e.topic()));
        }
        // Types and units repeat across events that rule windows retain: share one copy each.
        String eventType = Canonical.of(f.requiredText("type", type));
        double reading = f.requiredNumber("value", value);
        return List.of(new Reading(e.id(), e.deviceId(), eventType, reading, Canonical.of(f.text("unit", unit)),
                e.eventTime(), receivedTime, e.topic()));
    }
}
