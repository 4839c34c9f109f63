package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.MessageKind;
import io.edgeagent.simulator.scenario.DeviceEvent;
import io.edgeagent.simulator.scenario.DeviceSpec;
import io.edgeagent.simulator.scenario.EventType;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One device's schedule and faults on top of its model: when it is due next, and what it emits then (nothing while
 * silent, a broken payload, a copy, or a message held back until after the next one). Not thread-safe.
 */
final class DeviceRunner {

    private final int index;
    private final long intervalNanos;
    private final DeviceModel model;
    private final List<DeviceEvent> silences;
    private final OneShots malformations;
    private final OneShots duplicates;
    private final OneShots reorderings;
    private long dueNanos;
    private Emission held;

    DeviceRunner(int index, DeviceSpec spec, long seed, long firstDueNanos) {
        this.index = index;
        this.intervalNanos = spec.interval().toNanos();
        Random random = new Random(deviceSeed(seed, spec.id()));
        this.model = switch (spec.kind()) {
            case TEMPERATURE, HUMIDITY -> new SensorModel(spec, random);
            case DOOR -> new DoorModel(spec);
            case TRACKER -> new TrackerModel(spec, random);
        };
        this.silences = spec.events(EventType.SILENT);
        this.malformations = new OneShots(spec.events(EventType.MALFORMED));
        this.duplicates = new OneShots(spec.events(EventType.DUPLICATE));
        this.reorderings = new OneShots(spec.events(EventType.OUT_OF_ORDER));
        this.dueNanos = firstDueNanos;
    }

    /**
     * Each device draws from its own generator, seeded from the run's seed and its id, so adding devices or changing
     * their order does not change what the others publish.
     */
    static long deviceSeed(long seed, String deviceId) {
        return seed ^ (0x9E3779B97F4A7C15L * (deviceId.hashCode() + 1L));
    }

    int index() {
        return index;
    }

    long dueNanos() {
        return dueNanos;
    }

    /** Samples the device at its due time, passes what it sends to {@code out}, and schedules the next time. */
    void tick(Consumer<Emission> out) {
        long t = dueNanos;
        dueNanos += intervalNanos;
        Sample sample = model.sampleAt(t);
        if (Timeline.within(silences, t)) {
            return;
        }
        DeviceEvent malformed = malformations.take(t);
        Emission emission = malformed == null
                ? new Emission(t, sample, null, MessageKind.NORMAL)
                : new Emission(t, sample, malformed.payload(), MessageKind.MALFORMED);
        // A broken payload stays where it is, so each message has exactly one kind; the reordering waits a tick.
        if (held == null && malformed == null && reorderings.take(t) != null) {
            held = emission.as(MessageKind.OUT_OF_ORDER);
            return;
        }
        out.accept(emission);
        if (duplicates.take(t) != null) {
            out.accept(emission.as(MessageKind.DUPLICATE));
        }
        if (held != null) {
            out.accept(held);
            held = null;
        }
    }
}
