package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.FieldSource;
import io.edgeagent.event.Event;
import io.edgeagent.event.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tasmota's {@code tele/<device>/SENSOR} telemetry: every numeric field of every sensor object becomes a reading,
 * e.g. {@code {"AM2301":{"Temperature":21.3,"Humidity":45}}} gives a temperature and a humidity.
 */
final class TasmotaDecoder implements PayloadDecoder {

    private static final FieldSource DEVICE_FROM_TOPIC = new FieldSource.TopicSegment(1);
    private static final FieldSource TIME = FieldSource.parse("/Time");
    private static final FieldSource TEMP_UNIT = FieldSource.parse("/TempUnit");

    private final FieldSource deviceId;
    private final EventTimeWindow window;

    TasmotaDecoder(Map<String, FieldSource> overrides, EventTimeWindow window) {
        this.window = window;
        this.deviceId = overrides.getOrDefault("deviceId", DEVICE_FROM_TOPIC);
    }

    @Override
    public List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException {
        JsonNode root = Json.parsed(payload);
        Fields f = new Fields(topic, payload, root);
        String device = Canonical.of(f.requiredText("deviceId", deviceId));
        String sharedTopic = Canonical.of(topic);
        long eventTime = f.time("Time", TIME, receivedTime, window);
        boolean timestamped = f.text("Time", TIME) != null;
        String unitGiven = f.text("TempUnit", TEMP_UNIT);
        String tempUnit = unitGiven == null ? "C" : Canonical.of(unitGiven);
        List<Event> events = new ArrayList<>();
        for (Map.Entry<String, JsonNode> sensor : root.properties()) {
            if (!sensor.getValue().isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> value : sensor.getValue().properties()) {
                if (!value.getValue().isNumber()) {
                    continue;
                }
                String name = sensor.getKey() + "." + value.getKey();
                if (value.getKey().isEmpty() || value.getKey().length() > Fields.MAX_TEXT) {
                    // The name becomes the reading's type: an identifier, stored in a bounded column.
                    throw new DecodeException("field '" + Fields.abbreviate(name) + "': expected a name of 1 to "
                            + Fields.MAX_TEXT + " characters but found " + value.getKey().length());
                }
                double number = value.getValue().doubleValue();
                if (!Double.isFinite(number)) {
                    throw new DecodeException("field '" + Fields.abbreviate(name) + "': expected a finite number but "
                            + "found " + Fields.abbreviate(value.getValue().toString()));
                }
                String type = Canonical.of(value.getKey().toLowerCase(Locale.ROOT));
                events.add(new Reading(EventIds.of(topic, payload, events.size(), timestamped), device, type,
                        number, unit(type, tempUnit), eventTime, receivedTime, sharedTopic));
            }
        }
        if (events.isEmpty()) {
            throw new DecodeException("Tasmota payload has no sensor object with numeric values");
        }
        return events;
    }

    private static String unit(String type, String tempUnit) {
        return switch (type) {
            case "temperature", "dewpoint" -> tempUnit;
            case "humidity" -> "%";
            case "pressure" -> "hPa";
            default -> null;
        };
    }
}
