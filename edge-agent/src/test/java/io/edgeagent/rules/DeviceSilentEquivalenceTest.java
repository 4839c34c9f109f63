package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@code device-silent} fires exactly what the absence pattern it replaced fired ({@code every a=Reading ->
 * (timer:interval(15 sec) and not Reading(deviceId = a.deviceId))}): the same devices at the same times with the
 * same last reading, for any stream of readings from a few devices with gaps around 15 s (exactly 15 s, a
 * millisecond either side, several readings in one millisecond), on Esper's external clock as rule tests run it.
 */
class DeviceSilentEquivalenceTest {

    private static final long START = 1_767_225_600_000L;
    private static final String PATTERN = String.join("\n",
            "name: device-silent-pattern",
            "epl: |",
            "  select a.deviceId as deviceId, a.type as lastType, a.eventTime as lastSeen",
            "  from pattern [every a=Reading -> (timer:interval(15 sec) and not Reading(deviceId = a.deviceId))]",
            "");
    private static Path compiled;
    private static RuleCompiler compiler;

    @BeforeContainer
    static void openCompiler() throws Exception {
        compiled = Files.createTempDirectory("device-silent-equivalence");
        compiler = new RuleCompiler(Set.of(), EventTypes.none(), compiled);
    }

    @AfterContainer
    static void closeCompiler() throws Exception {
        compiler.close();
        try (var files = Files.walk(compiled)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One reading: which device, how long after the previous reading of the stream, and of which type. */
    record Step(int device, long gapMillis, String type) {
    }

    @Provide
    Arbitrary<List<Step>> streams() {
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 3_000)),
                Tuple.of(2, Arbitraries.of(0L, 14_999L, 15_000L, 15_001L)),
                Tuple.of(1, Arbitraries.longs().between(5_000, 40_000)));
        return Combinators.combine(Arbitraries.integers().between(0, 3), gaps,
                        Arbitraries.of("temperature", "humidity", "door"))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 200)
    void deviceSilent_firesWhatTheAbsencePatternFired(@ForAll("streams") List<Step> stream) throws Exception {
        RuleDefinition pattern = RuleFileReader.fromSystem().parse(Path.of("device-silent-pattern.yaml"), PATTERN);
        assertThat(firings(exampleRule(), stream)).isEqualTo(firings(pattern, stream));
    }

    /** What the rule fires for the stream, then 60 s of silence: device, time, last type and last seen. */
    private static List<String> firings(RuleDefinition rule, List<Step> stream) throws Exception {
        List<RuleFiring> fired = new ArrayList<>();
        try (RuleEngine engine = new RuleEngine(Map.of(), compiler, true, (r, firing) -> fired.add(firing))) {
            engine.advanceTime(START);
            engine.deploy(rule);
            long time = START;
            int i = 0;
            for (Step step : stream) {
                time += step.gapMillis();
                engine.advanceTime(time);
                engine.send(new Reading("r-" + i++, "sensor-" + step.device(), step.type(), 1.0, "C", time, time,
                        "sensors/sensor-" + step.device() + "/" + step.type()));
            }
            engine.advanceTime(time + 60_000);
        }
        return fired.stream().map(f -> f.fields().get("deviceId") + " at " + f.firedAt() + " last "
                + f.fields().get("lastType") + " " + f.fields().get("lastSeen")).toList();
    }

    private static RuleDefinition exampleRule() throws ConfigException {
        return RuleFileReader.fromSystem().read(TestConfigs.rulesDirectory().resolve("device-silent.yaml"));
    }
}
