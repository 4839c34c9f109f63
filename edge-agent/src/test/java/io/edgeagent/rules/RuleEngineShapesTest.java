package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Rules whose constants Esper does not take as parameters everywhere ({@link RuleShape}) still deploy and answer as
 * written: the refused constant is kept as written, or the whole rule is compiled as written.
 */
class RuleEngineShapesTest {

    private final List<RuleFiring> fired = new CopyOnWriteArrayList<>();

    private void deploy(RuleEngine engine, String name, String epl) throws Exception {
        engine.deploy(RuleFileReader.fromSystem().parse(Path.of("rules/" + name + ".yaml"),
                "name: " + name + "\nepl: " + epl + "\n"));
    }

    private static void send(RuleEngine engine, long t, double value) {
        engine.advanceTime(t);
        engine.send(new Reading("r" + t, "sensor-1", "temperature", value, "C", t, t, "t"));
    }

    @Test
    void constantsEsperRefusesAsParameters_areKeptAsWritten_andTheRulesAnswerAsWritten() throws Exception {
        try (RuleEngine engine = new RuleEngine(Map.of(), true, (rule, firing) -> fired.add(firing))) {
            // Esper reads "between -5" as a minus before a parameter, which it refuses, and says where.
            deploy(engine, "near-zero", "select deviceId, value from Reading(value between -5 and 5)");
            // prior() takes only a constant index; Esper says so without a position.
            deploy(engine, "rising", "select deviceId, value from Reading#length(3) where value > prior(1, value) + 10");
            // The same shapes again, with other constants: they take what the first ones found out.
            deploy(engine, "near-ten", "select deviceId, value from Reading(value between -5 and 10)");

            send(engine, 1_000, 7);
            send(engine, 2_000, -3);
            send(engine, 3_000, 20);

            assertThat(fired).extracting(f -> f.rule() + " " + f.fields().get("value")).containsExactlyInAnyOrder(
                    "near-ten 7.0", "near-zero -3.0", "near-ten -3.0", "rising 20.0");
        }
    }
}
