package io.edgeagent.bench;

import io.edgeagent.bootstrap.JvmSettings;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.rules.RuleEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RuleEngine#send} of readings from 100 sensors at 2-5 C (no rule fires), with the rules of the agent:
 * {@code none}, {@code temperature-high} (one filter), {@code examples} (the 9 example rules in rules/, run from the
 * repository root or set -Dbench.rules=DIR). Engine time is external and advances 1 ms every 20 events, i.e. the
 * windows see 20,000 events/s, the end-to-end target: at steady state the example rules' 30 s and 60 s time windows
 * hold about 1.2 million readings, hence the larger heap of this fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseSerialGC"})
public class EsperSendBench {

    @Param({"none", "temperature-high", "examples"})
    public String rules;

    private RuleEngine engine;
    private final Reading[] readings = new Reading[1000];
    private int i;
    private long time = 1_795_310_000_000L;

    @Setup
    public void setup() throws Exception {
        // As the agent runs with the default rules.statementCpuTime: false.
        JvmSettings.measureThreadCpuTime(false);
        engine = new RuleEngine(Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0)), true,
                (rule, firing) -> { });
        engine.advanceTime(time);
        Path dir = Path.of(System.getProperty("bench.rules", "rules"));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        RuleFileReader reader = RuleFileReader.fromSystem();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (rules.equals("examples") || rules.equals(name.replace(".yaml", ""))) {
                engine.deploy(reader.read(file));
            }
        }
        for (int r = 0; r < readings.length; r++) {
            String device = String.format("sensor-%05d", r % 100 + 1);
            readings[r] = new Reading(UUID.randomUUID().toString(), device, "temperature", 2 + (r % 30) / 10.0, "C",
                    time, time, "sensors/" + device + "/temperature");
        }
    }

    @TearDown
    public void close() {
        engine.close();
    }

    @Benchmark
    public void send() {
        engine.send(readings[i]);
        if (++i == readings.length) {
            i = 0;
        }
        if (i % 20 == 0) {
            time++;
            engine.advanceTime(time);
        }
    }
}
