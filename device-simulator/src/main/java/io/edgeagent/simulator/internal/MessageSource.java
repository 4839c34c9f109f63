package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.PayloadFormat;
import io.edgeagent.simulator.PlannedMessage;
import io.edgeagent.simulator.scenario.DeviceKind;
import io.edgeagent.simulator.scenario.DeviceSpec;
import io.edgeagent.simulator.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * The endless, deterministic stream of a simulation's messages in publishing order: every device in one priority
 * queue ordered by its next due time (ties by device order), so thousands of devices need no thread of their own.
 * The same scenario, extra devices, rate, seed, format and timestamps give the same stream. Event times are in
 * whole milliseconds. Not thread-safe.
 */
public final class MessageSource {

    /** Generic sensors are cold-store probes between these levels, so they do not trip the example rules. */
    static final double GENERIC_BASE_MIN_C = 2.0;
    static final double GENERIC_BASE_SPREAD_C = 3.0;
    static final double GENERIC_DIURNAL_C = 0.5;

    private final PriorityQueue<DeviceRunner> due = new PriorityQueue<>(
            Comparator.comparingLong(DeviceRunner::dueNanos).thenComparingInt(DeviceRunner::index));
    private final ArrayDeque<PlannedMessage> ready = new ArrayDeque<>();
    private final Encoder encoder;
    private final LongFunction<Instant> timestamps;
    private final int deviceCount;

    /**
     * @param scenario     the scenario's devices, or null for generic sensors only
     * @param extraDevices how many generic temperature sensors to add
     * @param rate         messages per second of each generic sensor
     * @param timestamps   the event time a sample taken at a given offset (ns) carries
     */
    public MessageSource(Scenario scenario, int extraDevices, double rate, long seed, PayloadFormat format,
                         LongFunction<Instant> timestamps) {
        this.encoder = new Encoder(format);
        this.timestamps = timestamps;
        List<DeviceSpec> specs = scenario == null ? List.of() : scenario.devices();
        for (DeviceSpec spec : specs) {
            due.add(new DeviceRunner(due.size(), spec, seed, 0));
        }
        Random layout = new Random(seed);
        Duration interval = Duration.ofNanos(Math.max(1, Math.round(1e9 / rate)));
        for (int i = 0; i < extraDevices; i++) {
            double base = GENERIC_BASE_MIN_C + GENERIC_BASE_SPREAD_C * layout.nextDouble();
            // Spreading first messages over one interval keeps a large fleet from publishing in bursts.
            long phase = (long) (layout.nextDouble() * interval.toNanos());
            DeviceSpec spec = new DeviceSpec(genericId(i), DeviceKind.TEMPERATURE, interval,
                    Rounding.round(base, 1), null, GENERIC_DIURNAL_C, null, null, null, null, null, null);
            due.add(new DeviceRunner(due.size(), spec, seed, phase));
        }
        this.deviceCount = due.size();
    }

    /** The id of the {@code i}-th (from 0) generic sensor: {@code sensor-00001} and up. */
    public static String genericId(int i) {
        return String.format("sensor-%05d", i + 1);
    }

    public int deviceCount() {
        return deviceCount;
    }

    /** The next message; never null while there are devices. */
    public PlannedMessage next() {
        while (ready.isEmpty()) {
            DeviceRunner runner = due.poll();
            long sendNanos = runner.dueNanos();
            runner.tick(e -> ready.add(new PlannedMessage(Duration.ofNanos(sendNanos), e.sample().deviceId(),
                    encoder.topic(e.sample()),
                    encoder.payload(e.sample(), timestamps.apply(e.sampleNanos()).truncatedTo(ChronoUnit.MILLIS),
                            e.malformation()), e.kind())));
            due.add(runner);
        }
        return ready.poll();
    }

    /** Every message sent before {@code duration}. */
    public List<PlannedMessage> until(Duration duration) {
        List<PlannedMessage> plan = new ArrayList<>();
        for (PlannedMessage m = next(); m.offset().compareTo(duration) < 0; m = next()) {
            plan.add(m);
        }
        return plan;
    }
}
