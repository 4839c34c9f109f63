package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The new step types and workflow options: bound from YAML, every problem reported at once with its path. */
class StepOptionsValidationTest {

    private static final RuleFileReader READER = new RuleFileReader(new Placeholders(name -> null));

    @Test
    void ruleFile_everyBadStepOption_reportedTogetherWithPaths() {
        String text = String.join("\n",
                "name: bad",
                "epl: select * from Reading",
                "actions:",
                "  - type: exec",
                "    command: []",
                "    retry: {attempts: 0, initialBackoff: 2s, maxBackoff: 1s}",
                "  - type: http",
                "    url: ftp://x",
                "    method: FETCH",
                "    when: \"{temperature} >> 3\"",
                "  - type: mqtt",
                "    topic: a/b",
                "    payload: x",
                "    await: {topic: \"a/+/ack\", timeout: 0s}",
                "    onFailure: compensate",
                "  - type: emit",
                "    onFailure: retry",
                "    compensate:",
                "      - type: log",
                "        level: loud",
                "");

        assertThatThrownBy(() -> READER.parse(Path.of("bad.yaml"), text)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(Problem::path).containsExactlyInAnyOrder(
                        "actions[0].command", "actions[0].retry.attempts", "actions[0].retry.maxBackoff",
                        "actions[1].url", "actions[1].method", "actions[1].when",
                        "actions[2].await.topic", "actions[2].await.timeout", "actions[2].compensate",
                        "actions[3].event", "actions[3].onFailure", "actions[3].compensate[0].message",
                        "actions[3].compensate[0].level"));
    }

    @Test
    void ruleFile_fullWorkflowStep_boundWithDefaults() throws ConfigException {
        RuleDefinition rule = READER.parse(Path.of("ok.yaml"), String.join("\n",
                "name: ok",
                "epl: select * from Reading",
                "actions:",
                "  - type: http",
                "    url: https://example.com/{deviceId}",
                "  - type: exec",
                "    command: [/bin/echo, \"{deviceId}\"]",
                "    retry: {attempts: 3}",
                "    when: previous.ok",
                ""));

        HttpAction http = (HttpAction) rule.actions().get(0);
        assertThat(http.method()).isEqualTo("POST");
        assertThat(http.succeeded(204)).isTrue();
        assertThat(http.succeeded(500)).isFalse();
        assertThat(http.onFailure()).isEqualTo(StepOptions.ON_FAILURE_ABORT);
        ExecAction exec = (ExecAction) rule.actions().get(1);
        assertThat(exec.retry()).isEqualTo(new RetryPolicy(3, RetryPolicy.DEFAULT_INITIAL_BACKOFF, RetryPolicy.DEFAULT_MAX_BACKOFF));
        assertThat(exec.successExitCodes()).containsExactly(0);
    }

    @Test
    void config_workflowsAndAllowlist_problemsReportedWithPaths(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        String text = String.join("\n",
                "inputs:",
                "  - topic: sensors/+/+",
                "actions:",
                "  maxRunsPerRule: 0",
                "  execAllowlist: [siren]",
                "  workflows:",
                "    alarm:",
                "      - type: workflow",
                "        name: missing",
                "      - type: exec",
                "        command: []",
                "");

        assertThatThrownBy(() -> new ConfigLoader(new Placeholders(name -> null)).parse("config.yaml", text, dir))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(Problem::path).containsExactlyInAnyOrder(
                        "actions.maxRunsPerRule", "actions.execAllowlist[0]", "actions.workflows.alarm[0].name",
                        "actions.workflows.alarm[1].command"));
    }

    @Test
    void condition_comparisonsAndPreviousStep_evaluated() {
        Map<String, Object> fields = Map.of("t", 9.5, "room", "A", "n", "12");

        assertThat(StepCondition.parse("{t} > 8").test(fields, true)).isTrue();
        assertThat(StepCondition.parse("{t} <= 8").test(fields, true)).isFalse();
        assertThat(StepCondition.parse("{n} >= 12").test(fields, true)).isTrue();
        assertThat(StepCondition.parse("{room} == 'A'").test(fields, true)).isTrue();
        assertThat(StepCondition.parse("{room} != \"A\"").test(fields, true)).isFalse();
        assertThat(StepCondition.parse("{missing} == 'A'").test(fields, true)).isFalse();
        assertThat(StepCondition.parse("previous.failed").test(fields, false)).isTrue();
        assertThat(StepCondition.parse("previous.ok").test(fields, false)).isFalse();
        for (String bad : List.of("", "{t} > 'x'", "t > 3", "{t} ~ 3", "{t} == bare")) {
            assertThatThrownBy(() -> StepCondition.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
