package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rules test` with a damaged events file: every bad line is reported, in words a person can act on, exit 3. */
class RulesTestEventsFileTest {

    @Test
    void rulesTest_threeBadLines_reportsEachWithFileLineAndExpectation(@TempDir Path dir) throws Exception {
        Path events = Files.writeString(dir.resolve("events.jsonl"), String.join("\n",
                "{\"kind\":\"Reading\",\"deviceId\":\"d1\",\"type\":\"temperature\",\"value\":9,\"eventTime\":1000}",
                "{\"kind\":\"Reading\",\"deviceId\":\"d1\",\"type\":\"temperature\",\"value\":9,",
                "# a comment",
                "{\"kind\":\"Reading\",\"deviceId\":\"d1\",\"type\":\"temperature\",\"eventTime\":2000}",
                "kind=Reading",
                ""));

        CliRun run = CliRun.of("rules", "test", TestConfigs.rulesDirectory().resolve("temperature-high.yaml").toString(),
                "--events", events.toString(), "--config", dir.resolve("none.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err().lines()).containsExactly(
                events + ":2: not valid JSON at column 66 (unexpected end of line); expected one JSON object per line, "
                        + "e.g. {\"kind\": \"Reading\", \"deviceId\": \"d1\", ...}",
                events + ":4: field 'value': expected a number",
                events + ":5: not valid JSON at column 1 (unrecognized token 'kind')"
                        + "; expected one JSON object per line, e.g. {\"kind\": \"Reading\", \"deviceId\": \"d1\", ...}");
        assertThat(run.err()).doesNotContain("Source").doesNotContain("marker").doesNotContain("JsonParse");
    }
}
