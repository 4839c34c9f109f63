package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.DeviceEvent;
import io.edgeagent.simulator.scenario.DeviceKind;
import io.edgeagent.simulator.scenario.DeviceSpec;
import io.edgeagent.simulator.scenario.EventType;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A temperature or humidity sensor: a level (the base, moved by ramps and spikes) plus a diurnal sine drift plus
 * Gaussian noise. A slow failure is a long ramp; a sudden spike is a short spike.
 */
final class SensorModel implements DeviceModel {

    private static final int DECIMALS = 2;

    private final DeviceSpec spec;
    private final List<DeviceEvent> levelEvents;
    private final Random random;

    SensorModel(DeviceSpec spec, Random random) {
        this.spec = spec;
        this.levelEvents = spec.events().stream()
                .filter(e -> e.type() == EventType.RAMP || e.type() == EventType.SPIKE)
                .sorted(Comparator.comparing(DeviceEvent::at)).toList();
        this.random = random;
    }

    @Override
    public Sample sampleAt(long t) {
        double diurnal = spec.diurnalAmplitude()
                * Math.sin(2 * Math.PI * t / (double) spec.diurnalPeriod().toNanos());
        double value = level(t) + diurnal + random.nextGaussian() * spec.noise();
        if (spec.kind() == DeviceKind.HUMIDITY) {
            value = Math.max(0, Math.min(100, value));
        }
        return new Sample.Reading(spec.id(), spec.kind(), Rounding.round(value, DECIMALS));
    }

    /** The level at {@code t}: events apply in order of their start, a ramp from wherever the level then is. */
    private double level(long t) {
        double level = spec.base();
        for (DeviceEvent e : levelEvents) {
            long at = Timeline.nanos(e.at());
            long until = Timeline.nanos(e.until());
            if (t < at) {
                break;
            }
            if (e.type() == EventType.SPIKE) {
                if (t < until) {
                    return e.value();
                }
            } else if (t < until) {
                return level + (e.value() - level) * (t - at) / (double) (until - at);
            } else {
                level = e.value();
            }
        }
        return level;
    }
}
