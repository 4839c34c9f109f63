package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Esper's own statement metrics, per rule, on the external clock: exact counts, since deploy. */
class RuleEngineStatementMetricsTest {

    private static RuleStatus status(RuleEngine engine, String rule) {
        return engine.status().stream().filter(s -> s.name().equals(rule)).findFirst().orElseThrow();
    }

    private static void send(RuleEngine engine, long at, String device, double value) {
        engine.advanceTime(at);
        engine.send(new Reading("id-" + at, device, "temperature", value, "C", at, at, "t"));
    }

    @Test
    void status_thresholdRule_countsMatchingEventsInAndRowsOut() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> { })) {
            engine.deploy(RuleFileReader.fromSystem().parse(Path.of("hot.yaml"),
                    "name: hot\nepl: select deviceId, value from Reading(value > 8)\n"));

            send(engine, 1_000, "a", 5);
            send(engine, 2_000, "a", 9);
            send(engine, 3_000, "b", 12);
            send(engine, 4_000, "b", 7);

            assertThat(status(engine, "hot").statements()).singleElement().satisfies(s -> {
                assertThat(s.eventsIn()).isEqualTo(2);
                assertThat(s.rowsOut()).isEqualTo(2);
                assertThat(s.wallNanos()).isPositive();
            });
        }
    }

    @Test
    void status_withTheJvmsThreadCpuClockOn_reportsCpuTime_andWithItOff_none() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadCpuTimeSupported());
        boolean before = threads.isThreadCpuTimeEnabled();
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> { })) {
            engine.deploy(RuleFileReader.fromSystem().parse(Path.of("hot.yaml"),
                    "name: hot\nepl: select deviceId, value from Reading(value > 8)\n"));
            threads.setThreadCpuTimeEnabled(false);
            send(engine, 1_000, "a", 9);
            assertThat(status(engine, "hot").statements().get(0).cpuNanos()).isZero();

            threads.setThreadCpuTimeEnabled(true);
            for (int i = 0; i < 1_000; i++) {
                send(engine, 2_000 + i, "a", 9);
            }
            assertThat(status(engine, "hot").statements().get(0).cpuNanos()).isPositive();
        } finally {
            threads.setThreadCpuTimeEnabled(before);
        }
    }

    @Test
    void status_ruleOfTwoStatements_reportsEachStatement() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> { })) {
            engine.deploy(RuleFileReader.fromSystem().parse(Path.of("two.yaml"), """
                    name: two
                    epl: |
                      @name('hot-readings') insert into HotReading select deviceId, value from Reading(value > 8);
                      @name('per-device') select deviceId, count(*) as n from HotReading group by deviceId;
                    """));

            send(engine, 1_000, "a", 9);
            send(engine, 2_000, "a", 10);
            send(engine, 3_000, "a", 1);

            assertThat(status(engine, "two").statements())
                    .extracting(StatementMetrics::statement, StatementMetrics::eventsIn, StatementMetrics::rowsOut)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("hot-readings", 2L, 2L),
                            org.assertj.core.groups.Tuple.tuple("per-device", 2L, 2L));
        }
    }

    @Test
    void status_redeployedRule_startsFromZero_andDisabledRuleHasNone() throws Exception {
        RuleFileReader reader = RuleFileReader.fromSystem();
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> { })) {
            engine.deploy(reader.parse(Path.of("hot.yaml"), "name: hot\nepl: select deviceId from Reading(value > 8)\n"));
            send(engine, 1_000, "a", 9);
            engine.deploy(reader.parse(Path.of("hot.yaml"), "name: hot\nepl: select deviceId from Reading(value > 9)\n"));
            send(engine, 2_000, "a", 10);

            assertThat(status(engine, "hot").statements()).singleElement()
                    .satisfies(s -> assertThat(s.eventsIn()).isEqualTo(1));

            engine.deploy(reader.parse(Path.of("hot.yaml"),
                    "name: hot\nenabled: false\nepl: select deviceId from Reading(value > 9)\n"));
            assertThat(status(engine, "hot").statements()).isEmpty();
        }
    }
}
