package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.util.SafeIterator;
import com.espertech.esper.common.client.util.StatementProperty;
import com.espertech.esper.common.client.util.StatementType;
import com.espertech.esper.runtime.client.EPStatement;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example rules forget a device that has gone silent (issue 15): a fleet whose devices each report for a while and
 * then stop leaves no rows in the rules' tables and named windows once the rules' documented times have passed, and
 * the per-tracker state of the geofence rules goes after 7 days of silence (seen in what they fire: a fix after
 * that is compared with nothing). On Esper's external clock, as the agent runs rule tests.
 */
class ExampleRulesForgetTest {

    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long DAY = 24 * 3600_000L;
    private static final int DEVICES = 50;
    private static final Map<String, GeofenceConfig> FENCES =
            Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0));
    @TempDir
    static Path compiledRules;
    private static RuleCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new RuleCompiler(FENCES.keySet(), EventTypes.none(), compiledRules);
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    @Test
    void temperatureRules_keepNothingOfDevicesSilentForTwoMinutes() throws Exception {
        List<String> rules = List.of("temperature-rapid-rise", "temperature-sustained-high");
        try (RuleEngine engine = engine(new ArrayList<>(), rules)) {
            // 40 s of one reading a second from each device, then silence.
            for (int s = 0; s < 40; s++) {
                for (int d = 0; d < DEVICES; d++) {
                    send(engine, reading("sensor-" + d, 3.0, START + s * 1000L + d));
                }
            }
            assertThat(rows(engine, rules)).allSatisfy((name, n) -> assertThat(n).as(name).isPositive());

            // The documented bound: gone within 2 minutes of the last reading.
            engine.advanceTime(START + 40_000 + 120_000);

            assertThat(rows(engine, rules)).hasSize(5).allSatisfy((name, n) -> assertThat(n).as(name).isZero());
        }
    }

    @Test
    void sustainedHigh_deletingASilentDevicesOldSeconds_firesNothing() throws Exception {
        List<RuleFiring> fired = new ArrayList<>();
        try (RuleEngine engine = engine(fired, List.of("temperature-sustained-high"))) {
            // Seconds ending 26..30 s at 2 C, 31..35 s at 9 C: an average of 5.5 C over the ten, so no firing. The
            // sweep at 60 s deletes the seconds ending before 30 s; the six left average 7.8 C, which must not fire
            // now that the device is silent: the rule fires when a device's second arrives, not when one leaves.
            for (int s = 25; s < 35; s++) {
                send(engine, reading("sensor-1", s < 30 ? 2.0 : 9.0, START + s * 1000L + 500));
            }
            engine.advanceTime(START + 61_000);
            assertThat(fired).isEmpty();

            // The same device back, still at 9 C: its average is over its new seconds only.
            for (int s = 61; s < 67; s++) {
                send(engine, reading("sensor-1", 9.0, START + s * 1000L + 500));
            }
            engine.advanceTime(START + 68_000);
            assertThat(fired).singleElement().satisfies(firing -> {
                assertThat(firing.firedAt()).isEqualTo(START + 66_000);
                assertThat((Long) firing.fields().get("readings")).isEqualTo(5L);
                assertThat((Double) firing.fields().get("average")).isEqualTo(9.0);
            });
        }
    }

    @Test
    void movedFar_forgetsATrackerSilentFor7Days_andTakesItsNextFixAsTheFirst() throws Exception {
        List<RuleFiring> fired = new ArrayList<>();
        try (RuleEngine engine = engine(fired, List.of("moved-far"))) {
            for (int d = 0; d < DEVICES; d++) {
                send(engine, location("truck-" + d, 52.52, 13.405, START + d));
            }
            // truck-0 keeps reporting from where it started, once a day.
            for (int day = 1; day <= 8; day++) {
                send(engine, location("truck-0", 52.52, 13.405, START + day * DAY));
            }
            assertThat(rows(engine, List.of("moved-far"))).containsExactly(Map.entry("moved-far MovedFarFirst", 1L));

            // truck-1 comes back 8 days later 2 km away: that is its first position now, so no firing; truck-0,
            // remembered, fires when it moves.
            send(engine, location("truck-1", 52.52, 13.435, START + 8 * DAY + 1000));
            send(engine, location("truck-0", 52.52, 13.435, START + 8 * DAY + 2000));
            assertThat(fired).extracting(RuleFiring::key).containsExactly("truck-0");
        }
    }

    @Test
    void geofenceExit_rememberedFor6DaysOfSilence_forgottenAfter7() throws Exception {
        List<RuleFiring> fired = new ArrayList<>();
        try (RuleEngine engine = engine(fired, List.of("geofence-exit"))) {
            send(engine, location("truck-6d", 52.52, 13.405, START));
            send(engine, location("truck-8d", 52.52, 13.405, START));
            // Another tracker's fixes, hourly, are what let Esper sweep out the silent ones.
            for (long hour = 1; hour <= 8 * 24; hour++) {
                send(engine, location("truck-busy", 52.52, 13.405, START + hour * 3600_000L));
                if (hour == 6 * 24) {
                    send(engine, location("truck-6d", 52.52, 13.435, START + hour * 3600_000L + 1000));
                }
            }
            send(engine, location("truck-8d", 52.52, 13.435, START + 8 * DAY + 1000));

            assertThat(fired).extracting(RuleFiring::key).containsExactly("truck-6d");
        }
    }

    @Test
    void cooldown_dropsKeysWhosePeriodHasPassed() {
        Cooldown cooldown = new Cooldown(Duration.ofMinutes(5));
        for (int d = 0; d < DEVICES; d++) {
            assertThat(cooldown.tryAcquire("truck-" + d, START + d)).isTrue();
        }
        assertThat(cooldown.tryAcquire("truck-0", START + 60_000)).isFalse();
        assertThat(cooldown.keys()).isEqualTo(DEVICES);

        // A period after the first firing the next one sweeps: truck-0's period is over (it goes), the others' not.
        assertThat(cooldown.tryAcquire("truck-new", START + 300_000)).isTrue();
        assertThat(cooldown.keys()).isEqualTo(DEVICES - 1 + 1);
        // Another period on, every old key goes; only the one firing now is kept.
        assertThat(cooldown.tryAcquire("truck-new", START + 600_001)).isTrue();
        assertThat(cooldown.keys()).isEqualTo(1);
        assertThat(cooldown.tryAcquire("truck-49", START + 600_002)).isTrue();
    }

    private static RuleEngine engine(List<RuleFiring> fired, List<String> rules) throws ConfigException {
        RuleEngine engine = new RuleEngine(FENCES, compiler, true, (rule, firing) -> fired.add(firing));
        engine.advanceTime(START);
        for (String rule : rules) {
            engine.deploy(exampleRule(rule));
        }
        return engine;
    }

    private static void send(RuleEngine engine, Event event) {
        engine.advanceTime(event.eventTime());
        engine.send(event);
    }

    /** Rows of every table and named window of {@code rules}, by rule and name. */
    private static Map<String, Long> rows(RuleEngine engine, List<String> rules) {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String rule : rules) {
            for (EPStatement statement : engine.statements(rule)) {
                StatementType type = (StatementType) statement.getProperty(StatementProperty.STATEMENTTYPE);
                if (type == StatementType.CREATE_TABLE || type == StatementType.CREATE_WINDOW) {
                    rows.put(rule + " " + statement.getProperty(StatementProperty.CREATEOBJECTNAME), count(statement));
                }
            }
        }
        return rows;
    }

    private static long count(EPStatement statement) {
        long n = 0;
        SafeIterator<EventBean> it = statement.safeIterator();
        try {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        } finally {
            it.close();
        }
        return n;
    }

    private static RuleDefinition exampleRule(String name) throws ConfigException {
        return RuleFileReader.fromSystem().read(TestConfigs.rulesDirectory().resolve(name + ".yaml"));
    }

    private static Reading reading(String device, double value, long time) {
        return new Reading(device + "@" + time, device, "temperature", value, "C", time, time, "sensors/temperature");
    }

    private static Location location(String device, double lat, double lon, long time) {
        return new Location(device + "@" + time, device, lat, lon, 5.0, 0.0, null, time, time, "trackers/" + device);
    }
}
