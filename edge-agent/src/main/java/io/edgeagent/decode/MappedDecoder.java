package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
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

    MappedDecoder(String format, String event, Map<String, FieldSource> overrides) {
        this.json = !format.equals("raw");
        this.location = event.equals("location");
        Map<String, String> defaults = !json ? RAW_READING : location ? JSON_LOCATION : JSON_READING;
        Map<String, FieldSource> merged = new HashMap<>();
        defaults.forEach((name, source) -> merged.put(name, FieldSource.parse(source)));
        merged.putAll(overrides);
        this.fields = Map.copyOf(merged);
    }

    @Override
    public List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException {
        JsonNode node = json ? Json.object(payload) : null;
        Fields f = new Fields(topic, payload, node);
        String id = f.text("id", fields.get("id"));
        String deviceId = f.requiredText("deviceId", fields.get("deviceId"));
        long eventTime = f.time("timestamp", fields.get("timestamp"), receivedTime);
        boolean timestamped = f.text("timestamp", fields.get("timestamp")) != null;
        String eventId = id != null && !id.isEmpty() ? id
                : EventIds.of(topic, payload, 0, timestamped);
        if (location) {
            double lat = f.requiredNumber("lat", fields.get("lat"));
            double lon = f.requiredNumber("lon", fields.get("lon"));
            if (lat < -90 || lat > 90) {
                throw new DecodeException("field 'lat': expected a latitude from -90 to 90 but found " + lat);
            }
            if (lon < -180 || lon > 180) {
                throw new DecodeException("field 'lon': expected a longitude from -180 to 180 but found " + lon);
            }
            return List.of(new Location(eventId, deviceId, lat, lon, f.number("accuracy", fields.get("accuracy")),
                    f.number("speed", fields.get("speed")), f.number("heading", fields.get("heading")), eventTime,
                    receivedTime, topic));
        }
        String type = f.requiredText("type", fields.get("type"));
        double value = f.requiredNumber("value", fields.get("value"));
        return List.of(new Reading(eventId, deviceId, type, value, f.text("unit", fields.get("unit")), eventTime,
                receivedTime, topic));
    }
}
