package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.FieldSource;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import java.util.List;
import java.util.Map;

/**
 * OwnTracks location messages ({@code owntracks/<user>/<device>}). {@code vel} is km/h and becomes m/s; messages of
 * other {@code _type}s (transition, lwt, card) carry no location and yield no event.
 */
final class OwnTracksDecoder implements PayloadDecoder {

    private static final FieldSource DEVICE_FROM_TOPIC = new FieldSource.TopicSegment(2);
    private static final double KMH_TO_MS = 1000.0 / 3600.0;

    private final FieldSource deviceId;
    private final EventTimeWindow window;

    OwnTracksDecoder(Map<String, FieldSource> overrides, EventTimeWindow window) {
        this.window = window;
        this.deviceId = overrides.getOrDefault("deviceId", DEVICE_FROM_TOPIC);
    }

    @Override
    public List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException {
        JsonNode root = Json.parsed(payload);
        if (!"location".equals(root.path("_type").asText())) {
            return List.of();
        }
        Fields f = new Fields(topic, payload, root);
        String device = Canonical.of(f.requiredText("deviceId", deviceId));
        double lat = f.requiredNumber("lat", FieldSource.parse("/lat"));
        double lon = f.requiredNumber("lon", FieldSource.parse("/lon"));
        if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            throw new DecodeException("fields 'lat'/'lon': expected a WGS84 position but found " + lat + ", " + lon);
        }
        Double velocity = f.number("vel", FieldSource.parse("/vel"));
        long eventTime = f.time("tst", FieldSource.parse("/tst"), receivedTime, window);
        boolean timestamped = f.text("tst", FieldSource.parse("/tst")) != null;
        return List.of(new Location(EventIds.of(topic, payload, 0, timestamped), device, lat, lon,
                f.number("acc", FieldSource.parse("/acc")), velocity == null ? null : velocity * KMH_TO_MS,
                f.number("cog", FieldSource.parse("/cog")), eventTime, receivedTime, Canonical.of(topic)));
    }
}
