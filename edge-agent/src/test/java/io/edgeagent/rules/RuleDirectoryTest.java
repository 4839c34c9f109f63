package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hot deployment through the rules directory, with the real watcher thread polling real files. */
@Timeout(30)
class RuleDirectoryTest {

    private static final Duration WITHIN = Duration.ofSeconds(2);
    private static final String COUNTER = """
            name: counter
            description: counts readings per device; its state shows whether it was redeployed
            epl: select deviceId, count(*) as n from Reading#keepall group by deviceId
            unboundedState: true
            key: deviceId
            """;

    @TempDir
    Path dir;

    private final List<RuleFiring> fired = new CopyOnWriteArrayList<>();
    private RuleEngine engine;
    private RuleDirectory rules;
    private long clock = 1_000_000;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("counter.yaml"), COUNTER);
        Files.writeString(dir.resolve("hot.yaml"), threshold("hot", 30));
        engine = new RuleEngine(Map.of(), true, (rule, firing) -> fired.add(firing));
        rules = new RuleDirectory(dir, RuleFileReader.fromSystem(), engine);
        assertThat(rules.sync()).isEmpty();
        rules.startWatching();
    }

    @AfterEach
    void stop() {
        rules.close();
        engine.close();
    }

    private static String threshold(String name, int above) {
        return "name: " + name + "\nepl: select deviceId, value from Reading(value > " + above + ")\n";
    }

    private void send(double value) {
        clock += 1000;
        engine.advanceTime(clock);
        engine.send(new Reading("id-" + clock, "dev-1", "temperature", value, "C", clock, clock, "t"));
    }

    private List<RuleFiring> firings(String rule) {
        return fired.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    @Test
    void changedFile_isRedeployedWithinASecond_andUnchangedRuleKeepsItsState() throws IOException {
        send(35);
        assertThat(firings("hot")).hasSize(1);
        assertThat(firings("counter")).last().extracting(f -> f.fields().get("n")).isEqualTo(1L);

        Files.writeString(dir.resolve("hot.yaml"), threshold("hot", 40));
        await().atMost(WITHIN).until(() -> engine.definitions().get("hot").epl().contains("value > 40"));
        send(35);
        assertThat(firings("hot")).as("35 is below the new threshold").hasSize(1);

        send(45);
        assertThat(firings("hot")).hasSize(2);
        assertThat(((Number) firings("counter").get(firings("counter").size() - 1).fields().get("n")).longValue())
                .as("the counter rule was not redeployed: its group state kept counting").isGreaterThanOrEqualTo(3L);
    }

    @Test
    void newFile_isDeployed_andRemovedFile_isUndeployed() throws IOException {
        Files.writeString(dir.resolve("warm.yaml"), threshold("warm", 20));
        await().atMost(WITHIN).until(() -> engine.definitions().containsKey("warm"));
        send(25);
        assertThat(firings("warm")).hasSize(1);

        Files.delete(dir.resolve("warm.yaml"));
        await().atMost(WITHIN).until(() -> !engine.definitions().containsKey("warm"));
        send(25);
        assertThat(firings("warm")).hasSize(1);
    }

    @Test
    void brokenEdit_isRejectedWithItsProblem_andPreviousVersionKeepsRunning() throws IOException {
        Files.writeString(dir.resolve("hot.yaml"), "name: hot\nepl: select deviceId from Reading(value >)\n");
        await().atMost(WITHIN).until(() -> !rules.problems().isEmpty());

        assertThat(rules.problems().get(dir.resolve("hot.yaml")).get(0).describe())
                .contains("hot.yaml:2: epl: column");
        send(35);
        assertThat(firings("hot")).as("the previous version still fires").hasSize(1);

        Files.writeString(dir.resolve("hot.yaml"), threshold("hot", 50));
        await().atMost(WITHIN).until(() -> rules.problems().isEmpty());
        send(45);
        assertThat(firings("hot")).hasSize(1);
    }

    @Test
    void setEnabled_rewritesOnlyTheEnabledKey_andStopsAndRestartsTheRule() throws Exception {
        assertThat(rules.setEnabled("hot", false)).isTrue();
        assertThat(Files.readString(dir.resolve("hot.yaml"))).startsWith(threshold("hot", 30)).endsWith("enabled: false\n");
        send(35);
        assertThat(firings("hot")).isEmpty();
        assertThat(engine.status()).filteredOn(s -> s.name().equals("hot")).singleElement()
                .extracting(RuleStatus::enabled).isEqualTo(false);

        assertThat(rules.setEnabled("hot", true)).isTrue();
        assertThat(Files.readString(dir.resolve("hot.yaml"))).endsWith("enabled: true\n").doesNotContain("false");
        send(35);
        assertThat(firings("hot")).hasSize(1);
    }

    @Test
    void write_badRule_isRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> rules.write("bad", "name: bad\nepl: select nope from Nowhere\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Nowhere");
        assertThat(dir.resolve("bad.yaml")).doesNotExist();
    }

    @Test
    void sameRuleNameInTwoFiles_secondIsRejected_firstKeepsRunning() throws IOException {
        Files.writeString(dir.resolve("zz-copy.yaml"), threshold("hot", 10));
        await().atMost(WITHIN).until(() -> rules.problems().containsKey(dir.resolve("zz-copy.yaml")));

        assertThat(rules.problems().get(dir.resolve("zz-copy.yaml")).get(0).message())
                .contains("already deployed from").contains("hot.yaml");
        send(15);
        assertThat(firings("hot")).isEmpty();
    }
}
