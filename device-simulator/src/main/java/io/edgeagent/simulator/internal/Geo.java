package io.edgeagent.simulator.internal;

/** Spherical-earth geometry, accurate to well under a metre over the few kilometres a scenario covers. */
final class Geo {

    static final double EARTH_RADIUS_M = 6_371_000.0;

    private Geo() {
    }

    /** Great-circle (haversine) distance in metres. */
    static double distance(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** Initial bearing from the first point to the second, degrees clockwise from north in [0, 360). */
    static double bearing(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dLon = Math.toRadians(lon2 - lon1);
        double y = Math.sin(dLon) * Math.cos(p2);
        double x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dLon);
        return (Math.toDegrees(Math.atan2(y, x)) + 360) % 360;
    }

    /** Degrees of latitude per metre northwards. */
    static double latDegreesPerMetre() {
        return Math.toDegrees(1 / EARTH_RADIUS_M);
    }

    /** Degrees of longitude per metre eastwards at latitude {@code lat}. */
    static double lonDegreesPerMetre(double lat) {
        return latDegreesPerMetre() / Math.cos(Math.toRadians(lat));
    }
}
