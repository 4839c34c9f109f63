package io.edgeagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.rules.RuleEngine;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example file in the repository loads, so none can go stale (STYLE.md practice 11). */
class RepositoryFilesTest {

    /**
     * The example rules in rules/. Adding a rule file means adding it here, and giving it recorded events in
     * rules/tests/ so its behaviour is tested too.
     */
    static final List<String> EXAMPLE_RULES = List.of(
            "device-silent",
            "door-open-warming",
            "geofence-enter",
            "geofence-exit",
            "moved-far",
            "speeding",
            "temperature-high",
            "temperature-rapid-rise",
            "temperature-sustained-high");

    private static final Path ROOT = TestConfigs.repositoryRoot();

    private static AgentConfig repositoryConfig() throws ConfigException {
        return new ConfigLoader(new Placeholders(name -> null)).load(ROOT.resolve("config.yaml"));
    }

    private static Set<String> ruleFileNames() throws IOException {
        try (Stream<Path> files = Files.list(TestConfigs.rulesDirectory())) {
            return new TreeSet<>(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml")).toList());
        }
    }

    @Test
    void configYaml_loads_andPointsAtTheRulesDirectory() throws ConfigException {
        AgentConfig config = repositoryConfig();

        assertThat(config.inputs()).isNotEmpty();
        assertThat(config.rules().directory()).isEqualTo(TestConfigs.rulesDirectory());
    }

    @Test
    void rulesDirectory_holdsExactlyTheExampleRules() throws IOException {
        assertThat(ruleFileNames()).as("rules/*.yaml; a new rule needs an entry in EXAMPLE_RULES (and rules/tests/)")
                .containsExactlyInAnyOrderElementsOf(EXAMPLE_RULES.stream().map(r -> r + ".yaml").toList());
    }

    @Test
    void everyExampleRule_readsAndCompilesWithTheRepositoryGeofences() throws Exception {
        AgentConfig config = repositoryConfig();
        RuleFileReader reader = new RuleFileReader(new Placeholders(name -> null));
        List<String> failures = new ArrayList<>();

        try (RuleEngine engine = new RuleEngine(config.geofences(), true, (rule, firing) -> { })) {
            for (String name : EXAMPLE_RULES) {
                Path file = TestConfigs.rulesDirectory().resolve(name + ".yaml");
                try {
                    RuleDefinition rule = reader.read(file);
                    assertThat(rule.name()).as("the name inside %s", file.getFileName()).isEqualTo(name);
                    assertThat(engine.compile(rule)).isNotNull();
                } catch (ConfigException e) {
                    failures.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        }

        assertThat(failures).isEmpty();
    }

    @Test
    void everyExampleRule_hasRecordedEventsAndExpectations() {
        Path tests = TestConfigs.rulesDirectory().resolve("tests");
        for (String name : EXAMPLE_RULES) {
            assertThat(tests.resolve(name + ".events.jsonl")).isRegularFile();
            assertThat(tests.resolve(name + ".expected.jsonl")).isRegularFile();
        }
    }
}
