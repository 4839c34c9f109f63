package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Rules compiled from their shape ({@link RuleShape}) deploy and answer as written, including where Esper refuses
 * the shape and where it checks or uses a constant while compiling.
 */
class RuleEngineShapesTest {

    private final List<RuleFiring> fired = new CopyOnWriteArrayList<>();

    private static void deploy(RuleEngine engine, String name, String epl) throws ConfigException {
        engine.deploy(RuleFileReader.fromSystem().parse(Path.of("rules/" + name + ".yaml"),
                "name: " + name + "\nepl: |\n  " + epl.replace("\n", "\n  ") + "\n"));
    }

    private static void send(RuleEngine engine, long t, double value) {
        engine.advanceTime(t);
        engine.send(new Reading("r" + t, "sensor-1", "temperature", value, "C", t, t, "t"));
    }

    @Test
    void rulesWhoseShapeEsperRefuses_areCompiledAsWritten_andAnswerAsWritten() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> fired.add(firing))) {
            // "-5 > value" as a shape is "-?:c0:int > value": Esper takes no minus sign before a parameter.
            deploy(engine, "cold", "select deviceId, value from Reading(-5 > value)");
            deploy(engine, "colder", "select deviceId, value from Reading(-10 > value)");
            deploy(engine, "near-zero", "select deviceId, value from Reading(value between -5 and 5)");
            deploy(engine, "rising", "select deviceId, value from Reading#length(3) where value > prior(1, value) + 10");

            send(engine, 1_000, 3);
            send(engine, 2_000, -7);
            send(engine, 3_000, -12);
            send(engine, 4_000, 20);

            assertThat(fired).extracting(f -> f.rule() + " " + f.fields().get("value")).containsExactlyInAnyOrder(
                    "near-zero 3.0", "cold -7.0", "cold -12.0", "colder -12.0", "rising 20.0");
        }
    }

    @Test
    void constantsEsperChecksOrUsesWhileCompiling_keepTheirMeaning() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> fired.add(firing))) {
            // A variable's initial value is set before parameters are: as a parameter it would be null.
            deploy(engine, "above-variable", "create variable double threshold = 20;\n"
                    + "select deviceId, value from Reading(value > threshold)");
            // The date format is built before parameters are set; the compared year may be one.
            deploy(engine, "in-1970", "select deviceId, value from Reading(value > 0 and current_timestamp().format('yyyy') = '1970')");

            // Esper checks these while compiling; as parameters they would fail only at run time.
            assertThatThrownBy(() -> deploy(engine, "bad-pattern", "select deviceId from Reading(deviceId regexp '[')"))
                    .isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> deploy(engine, "empty-window", "select deviceId from Reading#length(0)"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("length");

            // A comparison inside a view's parameter: Esper evaluates it while it deploys.
            deploy(engine, "window-of-one", "select deviceId, value from Reading#length(case when 1 > 2 then 3 else 1 end)");

            send(engine, 1_000, 25);

            assertThat(fired).extracting(RuleFiring::rule).containsExactlyInAnyOrder("above-variable", "in-1970", "window-of-one");
        }
    }
}
