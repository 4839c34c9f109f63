package io.edgeagent.config;

import java.util.List;

/**
 * A named area: a circle ({@code lat}, {@code lon}, {@code radius} in metres) or a polygon (a list of
 * {@code [lat, lon]} corners). {@code margin} (metres) is the hysteresis band: a tracker counts as having left only
 * when it is {@code margin} outside the border, and as having entered only when {@code margin} inside, so a device
 * parked on the border does not flap.
 */
public record GeofenceConfig(Double lat, Double lon, Double radius, List<List<Double>> polygon, Double margin)
        implements Section {

    /** A circle's centre and radius; each is required for a circle, which {@link #validate} checks. */
    static final Field<Double> LAT = Field.of("lat", null);
    static final Field<Double> LON = Field.of("lon", null);
    static final Field<Double> RADIUS = Field.of("radius", null);
    static final Field<List<List<Double>>> POLYGON = Field.of("polygon", List.of());
    static final Field<Double> MARGIN = Field.of("margin", 0.0, Check.that(m -> m >= 0, "expected 0 or more metres"));

    public GeofenceConfig {
        polygon = List.copyOf(POLYGON.or(polygon));
        margin = MARGIN.or(margin);
    }

    /** Checks the fence's shape; {@code here} stands at {@code geofences.NAME}. */
    @Override
    public void validate(Validation here) {
        boolean circle = lat != null || lon != null || radius != null;
        if (circle && !polygon.isEmpty()) {
            here.problem("", null, "expected either a circle (lat, lon, radius) or a polygon, not both");
        } else if (circle) {
            latLon(here, lat, lon);
            if (radius == null || !(radius > 0)) {
                here.problem(RADIUS.name(), String.valueOf(radius), "expected a radius in metres above 0");
            }
        } else if (polygon.size() < 3) {
            here.problem(POLYGON.name(), null, "expected a polygon of at least 3 [lat, lon] corners, or a circle");
        } else {
            for (int i = 0; i < polygon.size(); i++) {
                List<Double> corner = polygon.get(i);
                Validation at = here.at(POLYGON.name()).at("[" + i + "]");
                if (corner == null || corner.size() != 2) {
                    at.problem("", String.valueOf(corner), "expected [lat, lon]");
                } else {
                    latLon(at, corner.get(0), corner.get(1));
                }
            }
        }
    }

    private static void latLon(Validation at, Double lat, Double lon) {
        if (lat == null || lat < -90 || lat > 90) {
            at.problem("lat", String.valueOf(lat), "expected a latitude from -90 to 90");
        }
        if (lon == null || lon < -180 || lon > 180) {
            at.problem("lon", String.valueOf(lon), "expected a longitude from -180 to 180");
        }
    }

    public boolean isCircle() {
        return polygon.isEmpty();
    }
}
