package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Location;
import io.edgeagent.event.RuleFiring;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A rule that throws while the agent runs is counted on that rule, and every other rule keeps working. */
class RuleEngineErrorsTest {

    @Test
    void ruleThrowingAtRuntime_isCountedWithItsError_andOtherRulesStillFire() throws Exception {
        List<RuleFiring> fired = new CopyOnWriteArrayList<>();
        Map<String, GeofenceConfig> fences = Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, null));
        try (RuleEngine engine = new RuleEngine(fences, true, (rule, firing) -> fired.add(firing))) {
            RuleFileReader reader = RuleFileReader.fromSystem();
            // The fence name is computed, so only evaluation can find out that no such fence exists.
            engine.deploy(reader.parse(Path.of("rules/broken-fence.yaml"), "name: broken-fence\n"
                    + "epl: select deviceId from Location(fence('yard-' || deviceId, lat, lon) = 'inside')\n"));
            engine.deploy(reader.parse(Path.of("rules/fast.yaml"), "name: fast\nepl: select deviceId from Location(speed > 25)\n"));

            for (int i = 0; i < 3; i++) {
                engine.advanceTime(1000L * (i + 1));
                engine.send(new Location("id" + i, "truck-1", 52.52, 13.405, 5.0, 30.0, 90.0, 1000L * (i + 1), 0, "t"));
            }

            assertThat(fired).extracting(RuleFiring::rule).containsExactly("fast", "fast", "fast");
            RuleStatus broken = engine.status().stream().filter(s -> s.name().equals("broken-fence")).findFirst().orElseThrow();
            assertThat(broken.errors()).isEqualTo(3);
            assertThat(broken.lastError()).contains("unknown geofence 'yard-truck-1'");
        }
    }
}
