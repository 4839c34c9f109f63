package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
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

    /**
     * Rules that differ only in their constants share one compiled module, whose classes have the same names in
     * each deployment: an error is still counted on the rule whose deployment raised it.
     */
    @Test
    void rulesOfOneShape_haveTheirErrorsCountedEachOnItself() throws Exception {
        Map<String, GeofenceConfig> fences = Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, null));
        try (RuleEngine engine = new RuleEngine(fences, true, (rule, firing) -> { })) {
            RuleFileReader reader = RuleFileReader.fromSystem();
            for (String yard : List.of("yard-a", "yard-b")) {
                engine.deploy(reader.parse(Path.of("rules/" + yard + ".yaml"), "name: " + yard + "\n"
                        + "epl: select deviceId from Location(fence('" + yard + "-' || deviceId, lat, lon) = 'inside')\n"));
            }
            for (String type : List.of("x", "y")) {
                engine.deploy(reader.parse(Path.of("rules/parse-" + type + ".yaml"), "name: parse-" + type + "\n"
                        + "epl: select deviceId from Reading(type = '" + type + "' and Integer.parseInt(unit) > 0)\n"));
            }

            engine.advanceTime(1000);
            engine.send(new Location("l1", "truck-1", 52.52, 13.405, 5.0, 30.0, 90.0, 1000, 0, "t"));
            engine.send(new Reading("r1", "sensor-1", "x", 1.0, "abc", 1000, 0, "t"));

            Map<String, RuleStatus> status = new java.util.HashMap<>();
            engine.status().forEach(s -> status.put(s.name(), s));
            assertThat(status.get("yard-a").lastError()).contains("unknown geofence 'yard-a-truck-1'");
            assertThat(status.get("yard-b").lastError()).contains("unknown geofence 'yard-b-truck-1'");
            assertThat(status.get("parse-x").errors()).isEqualTo(1);
            assertThat(status.get("parse-x").lastError()).contains("For input string: \"abc\"");
            assertThat(status.get("parse-y").errors()).isZero();
        }
    }
}
