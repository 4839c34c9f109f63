package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceEvent;
import io.edgeagent.simulator.scenario.DeviceSpec;
import io.edgeagent.simulator.scenario.EventType;
import io.edgeagent.simulator.scenario.Waypoint;
import java.util.List;
import java.util.Random;

/**
 * A GPS tracker driving its route at its current speed ({@code speed} events change it, {@code stop} events hold it
 * at zero). At the end of the route it parks, or starts over when the route loops. Positions carry Gaussian noise.
 */
final class TrackerModel implements DeviceModel {

    private static final double SPEED_NOISE_M_S = 0.2;

    private final DeviceSpec spec;
    private final List<Waypoint> route;
    private final double[] distanceAtWaypoint;
    private final List<DeviceEvent> speedChanges;
    private final List<DeviceEvent> stops;
    private final Random random;
    private double travelled;
    private long lastT;

    TrackerModel(DeviceSpec spec, Random random) {
        this.spec = spec;
        this.route = spec.route();
        this.distanceAtWaypoint = new double[route.size()];
        for (int i = 1; i < route.size(); i++) {
            Waypoint a = route.get(i - 1);
            Waypoint b = route.get(i);
            distanceAtWaypoint[i] = distanceAtWaypoint[i - 1] + Geo.distance(a.lat(), a.lon(), b.lat(), b.lon());
        }
        this.speedChanges = spec.events(EventType.SPEED);
        this.stops = spec.events(EventType.STOP);
        this.random = random;
    }

    @Override
    public Sample sampleAt(long t) {
        // The speed holds between samples, so each step drives at the speed that held when it began.
        travelled += speedAt(lastT) * (t - lastT) / 1e9;
        lastT = t;
        double length = distanceAtWaypoint[distanceAtWaypoint.length - 1];
        boolean parked = length == 0 || (!spec.loop() && travelled >= length);
        double along = length == 0 ? 0 : spec.loop() ? travelled % length : Math.min(travelled, length);
        int segment = segmentAt(along);
        Waypoint from = route.get(segment);
        Waypoint to = route.get(Math.min(segment + 1, route.size() - 1));
        double segmentLength = distanceAtWaypoint[Math.min(segment + 1, route.size() - 1)] - distanceAtWaypoint[segment];
        double f = segmentLength == 0 ? 0 : (along - distanceAtWaypoint[segment]) / segmentLength;
        double lat = from.lat() + (to.lat() - from.lat()) * f
                + random.nextGaussian() * spec.noise() * Geo.latDegreesPerMetre();
        double lon = from.lon() + (to.lon() - from.lon()) * f
                + random.nextGaussian() * spec.noise() * Geo.lonDegreesPerMetre(from.lat());
        double trueSpeed = parked ? 0 : speedAt(t);
        double speed = trueSpeed == 0 ? 0 : Math.max(0, trueSpeed + random.nextGaussian() * SPEED_NOISE_M_S);
        double heading = segmentLength == 0 ? 0 : Geo.bearing(from.lat(), from.lon(), to.lat(), to.lon());
        return new Sample.Position(spec.id(), Rounding.round(lat, 6), Rounding.round(lon, 6), spec.accuracy(),
                speed == 0 ? 0 : Rounding.round(speed, 2), Rounding.round(heading, 1));
    }

    private double speedAt(long t) {
        if (Timeline.within(stops, t)) {
            return 0;
        }
        double speed = spec.speed();
        for (DeviceEvent change : speedChanges) {
            if (Timeline.nanos(change.at()) > t) {
                break;
            }
            speed = change.value();
        }
        return speed;
    }

    private int segmentAt(double along) {
        int segment = 0;
        while (segment + 2 < route.size() && distanceAtWaypoint[segment + 1] <= along) {
            segment++;
        }
        return segment;
    }
}
