package io.edgeagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Placeholders;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples in docs/ are part of the product: each is loaded or compared here so it cannot go stale. */
class DocsExamplesTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Path DOCS = TestConfigs.repositoryRoot().resolve("docs");

    private static List<String> yamlBlocks(String doc) throws IOException {
        Matcher m = YAML_BLOCK.matcher(Files.readString(DOCS.resolve(doc)));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void configurationDoc_everyConfigExample_loadsWithoutProblems(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        List<String> examples = yamlBlocks("configuration.md").stream()
                .filter(b -> b.startsWith("# config example:")).toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(2);
        ConfigLoader loader = new ConfigLoader(new Placeholders(Map.of("MQTT_PASSWORD", "secret",
                "KAFKA_PASSWORD", "secret")::get));

        for (String example : examples) {
            AgentConfig config = loader.parse("docs/configuration.md", example, dir);
            assertThat(config.inputs()).as(example).isNotEmpty();
        }
    }

    @Test
    void rulesDoc_everyRuleExample_isTheRuleFileVerbatim() throws IOException {
        List<String> blocks = yamlBlocks("rules.md").stream().filter(b -> b.startsWith("name: ")).toList();
        assertThat(blocks).hasSize(9);
        for (String block : blocks) {
            String name = block.lines().findFirst().orElseThrow().substring("name: ".length()).strip();
            Path file = TestConfigs.rulesDirectory().resolve(name + ".yaml");
            assertThat(file).as("docs/rules.md shows rule %s", name).exists();
            assertThat(block).as("docs/rules.md shows %s as it is in rules/", name).isEqualTo(Files.readString(file));
        }
    }
}
