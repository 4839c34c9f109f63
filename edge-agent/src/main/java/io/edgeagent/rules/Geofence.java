package io.edgeagent.rules;

import io.edgeagent.config.GeofenceConfig;
import java.util.List;

/** A configured fence, able to say how far a position is from its border. Immutable. */
final class Geofence {

    private final String name;
    private final GeofenceConfig config;
    private final double[] polygon;

    Geofence(String name, GeofenceConfig config) {
        this.name = name;
        this.config = config;
        List<List<Double>> corners = config.polygon();
        this.polygon = new double[corners.size() * 2];
        for (int i = 0; i < corners.size(); i++) {
            polygon[2 * i] = corners.get(i).get(0);
            polygon[2 * i + 1] = corners.get(i).get(1);
        }
    }

    String name() {
        return name;
    }

    /** Metres from the border: negative inside, positive outside. */
    double signedDistance(double lat, double lon) {
        if (config.isCircle()) {
            return Geo.distance(config.lat(), config.lon(), lat, lon) - config.radius();
        }
        return Geo.polygonSignedDistance(polygon, lat, lon);
    }

    /**
     * {@code inside}, {@code outside}, or {@code border} when the position is within the fence's margin (plus the
     * fix's own accuracy) of the border, where the answer could flip on GPS noise alone.
     */
    String side(double lat, double lon, double accuracy) {
        double d = signedDistance(lat, lon);
        double band = config.margin() + Math.max(0, accuracy);
        if (d < -band) {
            return FenceFunctions.INSIDE;
        } else if (d > band) {
            return FenceFunctions.OUTSIDE;
        }
        return FenceFunctions.BORDER;
    }
}
