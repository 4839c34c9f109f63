package io.edgeagent.config;

import java.util.List;

/**
 * A named area: a circle ({@code lat}, {@code lon}, {@code radius} in metres) or a polygon (a list of
 * {@code [lat, lon]} corners). {@code margin} (metres) is the hysteresis band: a tracker counts as having left only
 * when it is {@code margin} outside the border, and as having entered only when {@code margin} inside, so a device
 * parked on the border does not flap.
 */
public record GeofenceConfig(Double lat, Double lon, Double radius, List<List<Double>> polygon, Double margin) {

    public static final double DEFAULT_MARGIN_M = 0.0;

    public GeofenceConfig {
        polygon = polygon == null ? List.of() : List.copyOf(polygon);
        margin = margin == null ? DEFAULT_MARGIN_M : margin;
    }

    public boolean isCircle() {
        return polygon.isEmpty();
    }
}
