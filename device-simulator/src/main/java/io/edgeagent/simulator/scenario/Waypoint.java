package io.edgeagent.simulator.scenario;

/** A point on a tracker's route, in WGS84 degrees. */
public record Waypoint(double lat, double lon) {
}
