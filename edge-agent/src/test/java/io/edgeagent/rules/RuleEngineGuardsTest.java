package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What keeps one rule from hurting the others at runtime: error counting, Esper's limits, the time budget. */
class RuleEngineGuardsTest {

    private static final RuleFileReader READER = RuleFileReader.fromSystem();

    private static Reading reading(String device, String type, double value, String unit, long time) {
        return new Reading("id-" + device + "-" + time, device, type, value, unit, time, time, "sensors/" + device);
    }

    @Test
    void staticMethodThrowing_isCountedWithLastError_andLogsOneStackTrace() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (r, f) -> { })) {
            engine.deploy(READER.parse(Path.of("rules/parse.yaml"),
                    "name: parse\nepl: select deviceId, Integer.parseInt(unit) as n from Reading\n"));

            for (int i = 0; i < 5; i++) {
                engine.send(reading("probe-1", "temperature", 1, "abc", 1000 + i));
            }

            RuleStatus parse = engine.status().get(0);
            assertThat(parse.errors()).isEqualTo(5);
            assertThat(parse.lastError()).contains("parseInt").contains("For input string: \"abc\"");
            assertThat(log.list.stream().filter(e -> e.getThrowableProxy() != null)).hasSize(1);
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void patternInstancesOverEspersLimit_areRefusedAndCounted_andOtherRulesKeepFiring() throws Exception {
        List<RuleFiring> fired = new CopyOnWriteArrayList<>();
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (r, f) -> fired.add(f))) {
            // Every reading starts an instance that waits for a reading that never comes.
            engine.deploy(READER.parse(Path.of("rules/waits.yaml"), "name: waits\nepl: |\n"
                    + "  select a.deviceId as deviceId from pattern [every a=Reading(type = 'load')\n"
                    + "    -> Reading(deviceId = a.deviceId, type = 'never')]\n"));
            engine.deploy(READER.parse(Path.of("rules/hot.yaml"),
                    "name: hot\nepl: select deviceId from Reading(type = 'temperature' and value > 8)\n"));

            long over = 50;
            for (long i = 0; i < EsperConfiguration.MAX_PATTERN_SUBEXPRESSIONS + over; i++) {
                engine.send(reading("d" + i, "load", 1, null, 1000));
            }
            engine.send(reading("probe-1", "temperature", 12, "C", 1000));

            RuleStatus waits = engine.status().stream().filter(s -> s.name().equals("waits")).findFirst().orElseThrow();
            assertThat(waits.limitRefusals()).isPositive().isLessThanOrEqualTo(2 * over);
            assertThat(fired).extracting(RuleFiring::rule).containsExactly("hot");
        }
    }

    @Test
    void matchRecognizeStatesOverEspersLimit_areRefusedAndCounted() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (r, f) -> { })) {
            engine.deploy(READER.parse(Path.of("rules/rise.yaml"), "name: rise\nepl: |\n"
                    + "  select * from Reading match_recognize (partition by deviceId measures A.deviceId as deviceId\n"
                    + "    pattern (A B) define A as A.value > 0, B as B.value < 0)\n"));

            long over = 50;
            for (long i = 0; i < EsperConfiguration.MAX_MATCH_RECOGNIZE_STATES + over; i++) {
                engine.send(reading("d" + i, "load", 1, null, 1000));
            }

            assertThat(engine.status().get(0).limitRefusals()).isPositive();
        }
    }

    @Test
    void timeBudget_ruleOverItsShare_isDisabled_othersAndShortRunsAreNot() {
        Map<String, long[]> wall = new HashMap<>();
        List<String> disabled = new ArrayList<>();
        long window = Duration.ofSeconds(30).toNanos();
        RuleTimeBudget budget = new RuleTimeBudget(0.5, Duration.ofSeconds(30), () -> wall,
                (rule, reason) -> disabled.add(rule + ": " + reason));
        long start = 1_000_000_000L;
        wall.put("cheap", new long[] {0, start});
        wall.put("expensive", new long[] {0, start});
        budget.check(start);

        wall.put("cheap", new long[] {window / 10, start});
        wall.put("expensive", new long[] {window * 6 / 10, start});
        // Deployed a second before the look: too short to call its cost sustained.
        wall.put("new", new long[] {window / 30, start + window - 1_000_000_000L});
        budget.check(start + window);

        assertThat(disabled).containsExactly(
                "expensive: it took 60% of the pipeline's time over 30.0 s (limit 50%, rules.maxPipelineShare)");
        budget.close();
    }

    @Test
    void resume_ruleDisabledByTheBudget_runsAgain() throws Exception {
        List<RuleFiring> fired = new CopyOnWriteArrayList<>();
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (r, f) -> fired.add(f))) {
            engine.deploy(READER.parse(Path.of("rules/hot.yaml"),
                    "name: hot\nepl: select deviceId from Reading(value > 8)\n"));
            // Any statement time at all is over a share this small, once half a second has passed.
            engine.startTimeBudget(1e-9, Duration.ofSeconds(1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                engine.send(reading("probe-1", "temperature", 12, "C", 1000));
                return !engine.status().get(0).enabled();
            });
            RuleStatus hot = engine.status().get(0);
            assertThat(hot.disabledReason()).contains("of the pipeline's time").contains("rules.maxPipelineShare");

            // The same definition again (the file did not change) leaves it disabled.
            engine.deploy(engine.definitions().get("hot"));
            assertThat(engine.status().get(0).enabled()).isFalse();

            assertThat(engine.resume("hot")).isTrue();
            assertThat(engine.status().get(0).enabled()).isTrue();
            assertThat(engine.status().get(0).disabledReason()).isNull();
        }
    }
}
