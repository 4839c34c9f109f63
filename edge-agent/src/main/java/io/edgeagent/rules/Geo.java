package io.edgeagent.rules;

/** Great-circle geometry on the WGS84 mean radius; accurate to ~0.5% which is far below GPS error at the edge. */
public final class Geo {

    public static final double EARTH_RADIUS_M = 6_371_008.8;

    private Geo() {
    }

    /** Haversine distance in metres between two WGS84 positions given in degrees. */
    public static double distance(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1.0, Math.sqrt(a)));
    }

    /**
     * Signed distance in metres from a polygon's border: negative inside, positive outside. The polygon is given as
     * alternating lat/lon corners; distances use a local equirectangular projection, fine for fences up to tens of
     * kilometres across.
     */
    public static double polygonSignedDistance(double[] latLon, double lat, double lon) {
        int n = latLon.length / 2;
        double cosLat = Math.cos(Math.toRadians(lat));
        double px = 0;
        double py = 0;
        boolean inside = false;
        double best = Double.MAX_VALUE;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = (latLon[2 * i + 1] - lon) * cosLat;
            double yi = latLon[2 * i] - lat;
            double xj = (latLon[2 * j + 1] - lon) * cosLat;
            double yj = latLon[2 * j] - lat;
            if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
            best = Math.min(best, segmentDistance(px, py, xi, yi, xj, yj));
        }
        double metres = Math.toRadians(best) * EARTH_RADIUS_M;
        return inside ? -metres : metres;
    }

    private static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSquared));
        double cx = ax + t * dx - px;
        double cy = ay + t * dy - py;
        return Math.sqrt(cx * cx + cy * cy);
    }
}
