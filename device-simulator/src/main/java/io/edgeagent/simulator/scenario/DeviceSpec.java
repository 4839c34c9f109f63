package io.edgeagent.simulator.scenario;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * One simulated device as a scenario file declares it. Fields a file leaves out get the defaults below, so after
 * construction no component is null except {@code kind} and {@code id} (which {@link Scenarios} requires).
 *
 * @param id               the {@code deviceId}: letters, digits, {@code .}, {@code _} and {@code -}
 * @param kind             what the device is
 * @param interval         time between two messages
 * @param base             sensors: the level around which readings vary (C or %)
 * @param noise            sensors: standard deviation of the reading noise; trackers: of the position noise in m
 * @param diurnalAmplitude sensors: amplitude of a sine drift over {@code diurnalPeriod} (0 = none)
 * @param diurnalPeriod    sensors: period of that drift; a day unless a scenario compresses it
 * @param route            trackers: waypoints driven in order (one waypoint = parked there)
 * @param speed            trackers: initial speed in m/s
 * @param loop             trackers: start the route again at its end instead of stopping there
 * @param accuracy         trackers: the reported accuracy radius in m
 * @param events           what happens to the device, in any order
 */
public record DeviceSpec(String id, DeviceKind kind, Duration interval, Double base, Double noise,
                         Double diurnalAmplitude, Duration diurnalPeriod, List<Waypoint> route, Double speed,
                         Boolean loop, Double accuracy, List<DeviceEvent> events) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_TEMPERATURE_C = 4.0;
    public static final double DEFAULT_HUMIDITY_PERCENT = 80.0;
    public static final double DEFAULT_TEMPERATURE_NOISE_C = 0.15;
    public static final double DEFAULT_HUMIDITY_NOISE_PERCENT = 1.0;
    public static final double DEFAULT_POSITION_NOISE_M = 1.0;
    public static final Duration DEFAULT_DIURNAL_PERIOD = Duration.ofHours(24);
    public static final double DEFAULT_SPEED_M_S = 10.0;
    public static final double DEFAULT_ACCURACY_M = 5.0;

    public DeviceSpec {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        base = base == null ? defaultBase(kind) : base;
        noise = noise == null ? defaultNoise(kind) : noise;
        diurnalAmplitude = diurnalAmplitude == null ? 0.0 : diurnalAmplitude;
        diurnalPeriod = diurnalPeriod == null ? DEFAULT_DIURNAL_PERIOD : diurnalPeriod;
        route = route == null ? List.of() : List.copyOf(route);
        speed = speed == null ? DEFAULT_SPEED_M_S : speed;
        loop = loop != null && loop;
        accuracy = accuracy == null ? DEFAULT_ACCURACY_M : accuracy;
        events = events == null ? List.of() : List.copyOf(events);
    }

    private static double defaultBase(DeviceKind kind) {
        return kind == DeviceKind.HUMIDITY ? DEFAULT_HUMIDITY_PERCENT : DEFAULT_TEMPERATURE_C;
    }

    private static double defaultNoise(DeviceKind kind) {
        if (kind == DeviceKind.HUMIDITY) {
            return DEFAULT_HUMIDITY_NOISE_PERCENT;
        }
        return kind == DeviceKind.TRACKER ? DEFAULT_POSITION_NOISE_M : DEFAULT_TEMPERATURE_NOISE_C;
    }

    /** The events of one type, ordered by {@code at}. */
    public List<DeviceEvent> events(EventType type) {
        return events.stream().filter(e -> e.type() == type)
                .sorted(Comparator.comparing(DeviceEvent::at, Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }
}
