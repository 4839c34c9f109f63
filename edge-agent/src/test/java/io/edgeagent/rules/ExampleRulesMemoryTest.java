package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.util.SafeIterator;
import com.espertech.esper.common.client.util.StatementProperty;
import com.espertech.esper.common.client.util.StatementType;
import com.espertech.esper.runtime.client.EPStatement;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example rules with a time window over readings keep per-device, per-second state instead of every reading, so
 * what they hold depends on the number of devices, not on the rate: measured here on Esper's external clock by
 * counting the rows of the rules' tables and named windows (their statements' iterators), which is where these rules
 * keep everything, and by checking that no statement of theirs puts a data window on {@code Reading}. A plain
 * {@code #time(60 sec)} window over the same readings, counted the same way, holds rate x 60 s.
 */
class ExampleRulesMemoryTest {

    private static final String RISE = "temperature-rapid-rise";
    private static final String SUSTAINED = "temperature-sustained-high";
    private static final String PLAIN = "plain-minute";
    private static final int DEVICES = 10;
    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    /** A window over readings in the from-clause or on-clause: {@code Reading(...)#...} or {@code Reading(...) as r#...}. */
    private static final Pattern READING_WINDOW = Pattern.compile("Reading\\s*(\\([^)]*\\))?\\s*(as\\s+\\w+\\s*)?#");
    /** Each rule is compiled once, into this cache, and every engine here deploys from there. */
    @TempDir
    static Path compiledRules;
    private static RuleCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new RuleCompiler(Set.of(), EventTypes.none(), compiledRules);
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    @Test
    void bucketedRules_holdTheSameStateAt1000AndAt10000ReadingsPerSecond_boundedByDevices() throws Exception {
        Map<String, Long> slow = stateAfterOneMinute(1_000, exampleRule(RISE), exampleRule(SUSTAINED));
        Map<String, Long> fast = stateAfterOneMinute(10_000, exampleRule(RISE), exampleRule(SUSTAINED));

        // One row per device in each table; one event per device and closed second in each named window.
        assertThat(fast).isEqualTo(slow).containsExactlyInAnyOrderEntriesOf(Map.of(
                RISE + " RapidRiseRecent", (long) DEVICES,
                RISE + " RapidRiseSecondLows", DEVICES * 59L,
                RISE + " RapidRiseMinute", (long) DEVICES,
                SUSTAINED + " SustainedHighThisSecond", (long) DEVICES,
                SUSTAINED + " SustainedHighSeconds", DEVICES * 30L));
    }

    @Test
    void plainTimeWindow_countedTheSameWay_holdsRateTimesSixtySeconds() throws Exception {
        assertThat(stateAfterOneMinute(200, plainMinute())).containsExactly(Map.entry(PLAIN + " PlainMinute", 200L * 60));
        assertThat(stateAfterOneMinute(2_000, plainMinute())).containsExactly(Map.entry(PLAIN + " PlainMinute", 2_000L * 60));
    }

    @Test
    void bucketedRules_putNoDataWindowOnReadings() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), compiler, true, (rule, firing) -> { })) {
            engine.advanceTime(START);
            for (RuleDefinition rule : List.of(exampleRule(RISE), exampleRule(SUSTAINED))) {
                engine.deploy(rule);
                List<EPStatement> statements = engine.statements(rule.name());
                assertThat(statements).hasSizeGreaterThan(1);
                for (EPStatement statement : statements) {
                    String epl = (String) statement.getProperty(StatementProperty.EPL);
                    assertThat(READING_WINDOW.matcher(epl).find()).as("a window over readings in %s", epl).isFalse();
                }
            }
            // What the rules were before: the pattern finds their windows.
            assertThat(READING_WINDOW.matcher("from Reading(type = 'temperature')#time(60 sec)").find()).isTrue();
            assertThat(READING_WINDOW.matcher("from Reading(type = 'door') as d#length(2)").find()).isTrue();
        }
    }

    @Test
    void bucketedRules_atHighRate_stillFireOnARiseAndOnASustainedHigh_forThatDeviceOnly() throws Exception {
        List<RuleFiring> fired = new ArrayList<>();
        int rate = 10_000;
        // 40 s of 2.0-3.8 C from every device, then sensor-03 reads 9.0 C for 20 s while the others carry on.
        long firstHigh = START + 40_000;
        try (RuleEngine engine = new RuleEngine(Map.of(), compiler, true, (rule, firing) -> fired.add(firing))) {
            engine.advanceTime(START);
            engine.deploy(exampleRule(RISE));
            engine.deploy(exampleRule(SUSTAINED));
            int n = rate * 60;
            for (int i = 0; i < n; i++) {
                long time = START + (long) i * 1000 / rate;
                String device = device(i % DEVICES);
                boolean high = time >= firstHigh && device.equals("sensor-03");
                engine.advanceTime(time);
                engine.send(reading(i, device, high ? 9.0 : baseline(i), time));
            }
            engine.advanceTime(START + 61_000);
        }

        assertThat(fired).extracting(RuleFiring::key).containsOnly("sensor-03");
        List<RuleFiring> rises = fired.stream().filter(f -> f.rule().equals(RISE)).toList();
        assertThat(rises).hasSize(1);
        // On the first 9 C reading itself, against the lowest reading of that device in the last minute (2.0 C).
        assertThat(rises.get(0).firedAt()).isEqualTo(firstHigh);
        assertThat((Double) rises.get(0).fields().get("rise")).isEqualTo(7.0);
        List<RuleFiring> sustained = fired.stream().filter(f -> f.rule().equals(SUSTAINED)).toList();
        assertThat(sustained).hasSize(1);
        // About 16 s of 9 C lift a 30 s average of 2.9 C above 6 C; checked at whole seconds.
        assertThat(sustained.get(0).firedAt()).isBetween(firstHigh + 10_000, firstHigh + 20_000);
        assertThat(sustained.get(0).firedAt() % 1000).isZero();
        assertThat((Double) sustained.get(0).fields().get("average")).isGreaterThan(6.0);
        assertThat((Long) sustained.get(0).fields().get("readings")).isEqualTo(30L * rate / DEVICES);
    }

    @Test
    void bucketedRule_deployedTwiceUnderTwoNames_eachKeepsItsOwnTablesAndWindows() throws Exception {
        List<RuleFiring> fired = new ArrayList<>();
        try (RuleEngine engine = new RuleEngine(Map.of(), compiler, true, (rule, firing) -> fired.add(firing))) {
            engine.advanceTime(START);
            RuleDefinition rule = exampleRule(RISE);
            engine.deploy(rule);
            // The same EPL, so the same table and window names, in a second rule: names are private to a rule.
            engine.deploy(new RuleDefinition(RISE + "-copy", rule.description(), rule.epl(), true, rule.cooldown(),
                    rule.key(), rule.actions(), Path.of(RISE + "-copy.yaml"), rule.eplLine(), rule.eplColumn(),
                    rule.eplIndent()));
            engine.send(reading(0, "sensor-01", 2.0, START));
            engine.advanceTime(START + 2_500);
            engine.send(reading(1, "sensor-01", 5.5, START + 2_500));
            // Removing the copy leaves the first rule's state alone.
            engine.undeploy(RISE + "-copy");
            engine.send(reading(2, "sensor-02", 2.0, START + 2_500));
            engine.advanceTime(START + 3_500);
            engine.send(reading(3, "sensor-02", 5.5, START + 3_500));
        }

        assertThat(fired).extracting(RuleFiring::rule, RuleFiring::key, RuleFiring::firedAt).containsExactlyInAnyOrder(
                tuple(RISE, "sensor-01", START + 2_500), tuple(RISE + "-copy", "sensor-01", START + 2_500),
                tuple(RISE, "sensor-02", START + 3_500));
    }

    /** Rows of every table and named window of {@code rules} after 60 s of readings at {@code rate}, by rule and name. */
    private static Map<String, Long> stateAfterOneMinute(int rate, RuleDefinition... rules) throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), compiler, true, (rule, firing) -> { })) {
            engine.advanceTime(START);
            for (RuleDefinition rule : rules) {
                engine.deploy(rule);
            }
            int n = rate * 60;
            for (int i = 0; i < n; i++) {
                long time = START + (long) i * 1000 / rate;
                engine.advanceTime(time);
                engine.send(reading(i, device(i % DEVICES), baseline(i), time));
            }
            // Just before 00:01:00: 59 seconds have closed, the 60th is still open.
            Map<String, Long> rows = new LinkedHashMap<>();
            for (RuleDefinition rule : rules) {
                for (EPStatement statement : engine.statements(rule.name())) {
                    StatementType type = (StatementType) statement.getProperty(StatementProperty.STATEMENTTYPE);
                    if (type == StatementType.CREATE_TABLE || type == StatementType.CREATE_WINDOW) {
                        String name = (String) statement.getProperty(StatementProperty.CREATEOBJECTNAME);
                        rows.put(rule.name() + " " + name, count(statement));
                    }
                }
            }
            return rows;
        }
    }

    private static long count(EPStatement statement) {
        long n = 0;
        SafeIterator<EventBean> rows = statement.safeIterator();
        try {
            while (rows.hasNext()) {
                rows.next();
                n++;
            }
        } finally {
            rows.close();
        }
        return n;
    }

    private static RuleDefinition exampleRule(String name) throws ConfigException {
        return RuleFileReader.fromSystem().read(TestConfigs.rulesDirectory().resolve(name + ".yaml"));
    }

    /** The old form of temperature-rapid-rise with its window made countable: every reading for 60 s. */
    private static RuleDefinition plainMinute() throws ConfigException {
        return RuleFileReader.fromSystem().parse(Path.of(PLAIN + ".yaml"), String.join("\n",
                "name: " + PLAIN,
                "epl: |",
                "  create window PlainMinute#time(60 sec) as Reading;",
                "  insert into PlainMinute select * from Reading(type = 'temperature');",
                "  select deviceId, value, value - min(value) as rise from PlainMinute group by deviceId",
                "  having value - min(value) > 3.0",
                ""));
    }

    private static final String[] DEVICE_IDS = java.util.stream.IntStream.rangeClosed(1, DEVICES)
            .mapToObj(d -> String.format("sensor-%02d", d)).toArray(String[]::new);

    private static String device(int d) {
        return DEVICE_IDS[d];
    }

    /** 2.0 to 3.8 C: no rise of more than 3 C, no average above 6 C. */
    private static double baseline(int i) {
        return 2.0 + (i / DEVICES % 10) * 0.2;
    }

    private static Reading reading(int i, String device, double value, long time) {
        return new Reading(Integer.toString(i), device, "temperature", value, "C", time, time, "sensors/temperature");
    }
}
