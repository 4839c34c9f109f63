package io.edgeagent.bench;

import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.wire.EventJson;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stored JSON of one event, as the pipeline thread writes it before the H2 append: the hand-written writer of
 * {@link EventJson#toJson} against Jackson's generator ({@link EventJson#jacksonJson}, the reference it must match
 * byte for byte). Events are what the device simulator's readings and OwnTracks locations decode into.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-XX:+UseSerialGC"})
public class EventJsonBench {

    private final Event[] readings = new Event[100];
    private final Event[] locations = new Event[100];
    private int i;

    @Setup
    public void setup() {
        long ts = 1_795_310_411_722L;
        for (int d = 0; d < 100; d++) {
            String device = String.format("sensor-%05d", d + 1);
            String id = String.format("0190f3a2-7c1e-8d4b-9a3f-%012d", d);
            readings[d] = new Reading(id, device, "temperature", 2 + (d % 30) / 10.0, "C", ts + d, ts + d + 3,
                    "sensors/" + device + "/temperature");
            locations[d] = new Location(id, device, 52.5200 + d / 1e4, 13.4050 - d / 1e4, 12.0, d % 2 == 0 ? null : 8.3,
                    null, ts + d, ts + d + 3, "owntracks/user/" + device);
        }
    }

    @Benchmark
    public String readingHandWritten() {
        return EventJson.toJson(readings[next()]);
    }

    @Benchmark
    public String readingJackson() {
        return EventJson.jacksonJson(readings[next()]);
    }

    @Benchmark
    public String locationHandWritten() {
        return EventJson.toJson(locations[next()]);
    }

    @Benchmark
    public String locationJackson() {
        return EventJson.jacksonJson(locations[next()]);
    }

    private int next() {
        i = (i + 1) % 100;
        return i;
    }
}
