package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Event;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * temperature-rapid-rise and temperature-sustained-high keep per-second state instead of every reading; this test
 * states exactly what they compute, as a plain Java reading of their descriptions, and compares it with what the
 * rules fire (no cooldown) on random readings: bursts, pauses, silences and jumps, on Esper's external clock.
 */
class ExampleRulesReferenceTest {

    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a whole second
    private static final List<String> DEVICES = List.of("cold-room-1", "cold-room-2", "cold-room-3", "cold-room-4");
    /** Each rule is compiled once, into this cache, and every replay of it deploys from there. */
    @TempDir
    static Path compiledRules;
    private static RuleCompiler compiler;

    /** temperature-rapid-rise as it was: a plain 60 s window over every reading. */
    private static final String RAPID_RISE_BEFORE = String.join("\n",
            "name: rapid-rise-before",
            "epl: |",
            "  select deviceId, value, value - min(value) as rise",
            "  from Reading(type = 'temperature')#time(60 sec)",
            "  group by deviceId",
            "  having value - min(value) > 3.0",
            "");

    @BeforeAll
    static void openCompiler() {
        compiler = new RuleCompiler(Set.of(), EventTypes.none(), compiledRules);
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    /** Each rule against its plain Java model ({@link #expectedRapidRise}, {@link #expectedSustainedHigh}). */
    static Stream<Arguments> modelledRules() {
        Map<String, Function<List<Reading>, List<Firing>>> models = Map.of(
                "temperature-rapid-rise", ExampleRulesReferenceTest::expectedRapidRise,
                "temperature-sustained-high", ExampleRulesReferenceTest::expectedSustainedHigh);
        return models.entrySet().stream().flatMap(m -> LongStream.rangeClosed(1, 3)
                .mapToObj(seed -> Arguments.of(m.getKey(), m.getValue(), seed)));
    }

    @ParameterizedTest(name = "{0}, seed {2}")
    @MethodSource("modelledRules")
    void exampleRule_firesExactlyWhereItsModelDoes(String rule, Function<List<Reading>, List<Firing>> model, long seed)
            throws Exception {
        List<Reading> readings = randomReadings(seed);

        List<Firing> fired = describe(replay(exampleRule(rule), readings));

        assertSame(fired, model.apply(readings), seed);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void rapidRise_firesWhereverThePlain60sWindowFired(long seed) throws Exception {
        List<Reading> readings = randomReadings(seed);
        RuleDefinition before = RuleFileReader.fromSystem().parse(Path.of("rapid-rise-before.yaml"), RAPID_RISE_BEFORE);

        Set<String> now = new HashSet<>();
        replay(exampleRule("temperature-rapid-rise"), readings).forEach(f -> now.add(f.firedAt() + " " + f.key()));
        List<RuleFiring> then = replay(before, readings);

        // The window is 60 to 61 s instead of exactly 60 s: it sees everything the plain window saw.
        assertThat(then).as("seed %d", seed).isNotEmpty()
                .allSatisfy(f -> assertThat(now).contains(f.firedAt() + " " + f.key()));
    }


    /** Each reading against the lowest reading of its device since the start of the whole second 60 s earlier. */
    private static List<Firing> expectedRapidRise(List<Reading> readings) {
        List<Firing> expected = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            Reading r = readings.get(i);
            long from = wholeSecond(r.eventTime() - 60_000);
            double lowest = r.value();
            for (int j = 0; j <= i; j++) {
                Reading earlier = readings.get(j);
                if (earlier.deviceId().equals(r.deviceId()) && earlier.eventTime() >= from) {
                    lowest = Math.min(lowest, earlier.value());
                }
            }
            if (r.value() - lowest > 3.0) {
                expected.add(new Firing(r.eventTime() - START, r.deviceId(), r.value() - lowest, 0));
            }
        }
        expected.sort(Firing.ORDER);
        return expected;
    }

    /** At the end of each whole second in which a device sent a reading: its readings of the 30 s before. */
    private static List<Firing> expectedSustainedHigh(List<Reading> readings) {
        List<Firing> expected = new ArrayList<>();
        for (String device : DEVICES) {
            Set<Long> ends = new java.util.TreeSet<>();
            readings.stream().filter(r -> r.deviceId().equals(device))
                    .forEach(r -> ends.add(wholeSecond(r.eventTime()) + 1000));
            for (long end : ends) {
                double[] window = readings.stream().filter(r -> r.deviceId().equals(device))
                        .filter(r -> r.eventTime() >= end - 30_000 && r.eventTime() < end)
                        .mapToDouble(Reading::value).toArray();
                double average = java.util.Arrays.stream(window).average().orElse(0);
                if (window.length >= 5 && average > 6.0) {
                    expected.add(new Firing(end - START, device, average, window.length));
                }
            }
        }
        expected.sort(Firing.ORDER);
        return expected;
    }

    /** A firing: milliseconds after START, device, rise or average, and the number of readings (0 for a rise). */
    private record Firing(long at, String device, double value, long readings) {
        static final Comparator<Firing> ORDER = Comparator.comparingLong(Firing::at).thenComparing(Firing::device);
    }

    private static List<Firing> describe(List<RuleFiring> fired) {
        List<Firing> firings = new ArrayList<>();
        for (RuleFiring f : fired) {
            Map<String, Object> fields = f.fields();
            if (fields.containsKey("rise")) {
                firings.add(new Firing(f.firedAt() - START, f.key(), ((Number) fields.get("rise")).doubleValue(), 0));
            } else {
                firings.add(new Firing(f.firedAt() - START, f.key(), ((Number) fields.get("average")).doubleValue(),
                        ((Number) fields.get("readings")).longValue()));
            }
        }
        firings.sort(Firing.ORDER);
        return firings;
    }

    /** The same firings at the same times; values within 1e-9, which the rule's running sums keep by far. */
    private static void assertSame(List<Firing> actual, List<Firing> expected, long seed) {
        assertThat(expected).as("seed %d: the random readings make the rule fire", seed).isNotEmpty();
        Comparator<Firing> same = Comparator.comparingLong(Firing::at).thenComparing(Firing::device)
                .thenComparingLong(Firing::readings)
                .thenComparing((a, b) -> Math.abs(a.value() - b.value()) <= 1e-9 ? 0 : Double.compare(a.value(), b.value()));
        assertThat(actual).as("seed %d", seed).usingElementComparator(same).containsExactlyElementsOf(expected);
    }

    private static List<RuleFiring> replay(RuleDefinition rule, List<Reading> readings) throws ConfigException {
        RuleDefinition noCooldown = new RuleDefinition(rule.name(), rule.description(), rule.epl(), true, Duration.ZERO,
                rule.key(), rule.actions(), rule.source(), rule.eplLine(), rule.eplColumn(), rule.eplIndent());
        List<Event> events = new ArrayList<>(readings);
        return RuleReplay.replay(compiler, List.of(noCooldown), Map.of(), events, Duration.ofSeconds(60)).stream()
                .map(RuleReplay.Fired::firing).toList();
    }

    private static RuleDefinition exampleRule(String name) throws ConfigException {
        return RuleFileReader.fromSystem().read(TestConfigs.rulesDirectory().resolve(name + ".yaml"));
    }

    /**
     * 20 minutes of readings from four devices: gaps from a few ms (bursts, several readings in one second) to 70 s
     * (silences longer than either window), on a random walk around 4 C with jumps up and down of 2 to 5 C.
     */
    private static List<Reading> randomReadings(long seed) {
        Random random = new Random(seed);
        List<Reading> readings = new ArrayList<>();
        for (String device : DEVICES) {
            long time = START + random.nextInt(2000);
            double value = 4.0;
            int n = 0;
            while (time < START + 20 * 60_000) {
                double step = random.nextDouble();
                value += step < 0.03 ? 2 + 3 * random.nextDouble() : step < 0.06 ? -(2 + 3 * random.nextDouble())
                        : random.nextGaussian() * 0.3;
                value = Math.max(-2, Math.min(12, value));
                readings.add(new Reading(device + "-" + n++, device, "temperature", value, "C", time, time, "t"));
                double gap = random.nextDouble();
                time += gap < 0.3 ? 1 + random.nextInt(300) : gap < 0.97 ? 300 + random.nextInt(4000)
                        : 20_000 + random.nextInt(50_000);
            }
        }
        readings.sort(Comparator.comparingLong(Reading::eventTime));
        return readings;
    }

    private static long wholeSecond(long millis) {
        return Math.floorDiv(millis, 1000) * 1000;
    }
}
