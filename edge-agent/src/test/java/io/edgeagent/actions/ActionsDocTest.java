package io.edgeagent.actions;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.ExecAction;
import io.edgeagent.config.HttpAction;
import io.edgeagent.config.MqttAction;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/actions.md: its examples are the files the tests run, and its configuration example loads. */
class ActionsDocTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Path ROOT = TestConfigs.repositoryRoot();

    @Test
    void actionsDoc_coldChainExample_isTheExampleFileVerbatimAndReads() throws Exception {
        List<String> blocks = yamlBlocks();
        Path file = ROOT.resolve("docs/examples/cold-chain.yaml");

        assertThat(blocks.get(0)).isEqualTo(Files.readString(file));
        RuleDefinition rule = new RuleFileReader(new Placeholders(Map.of("COLD_CHAIN_WEBHOOK_TOKEN", "t")::get)).read(file);
        assertThat(rule.actions()).extracting(a -> a.type()).containsExactly("emit", "mqtt", "log");
        MqttAction start = (MqttAction) rule.actions().get(1);
        assertThat(start.await().topic()).isEqualTo("actuators/{deviceId}/ack");
        assertThat(start.compensate()).hasExactlyElementsOfTypes(ExecAction.class, HttpAction.class);
    }

    @Test
    void actionsDoc_workflowConfigExample_loads(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        String block = yamlBlocks().get(1);
        AgentConfig config = new ConfigLoader(new Placeholders(name -> null)).parse("docs/actions.md",
                "inputs:\n  - topic: sensors/+/+\n" + block, dir);

        assertThat(config.actions().workflows()).containsOnlyKeys("sound-alarm");
        assertThat(config.actions().execAllowlist()).containsExactly("/usr/local/bin/siren");
    }

    private static List<String> yamlBlocks() throws Exception {
        Matcher m = YAML_BLOCK.matcher(Files.readString(ROOT.resolve("docs/actions.md")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
