package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command that reads the configuration reports an unusable one the same way, with exit code 3. */
class ConfigProblemsCliTest {

    @Test
    void commandsThatReadTheConfiguration_invalidFile_printTheSameReportAndExitWith3(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "broker:\n  qos: 2\nadmin:\n  port: 70000\n");
        String heading = "edge-agent: invalid configuration " + config + " (2 problems):";

        for (List<String> command : List.of(List.of("config", "check"), List.of("run"), List.of("status"),
                List.of("buffer", "stats"), List.of("record", "--duration", "1s", "--out", dir.resolve("o").toString()))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("--config", config.toString()));

            CliRun run = CliRun.of(args.toArray(String[]::new));

            assertThat(run.exitCode()).as("%s: %s", command, run.err()).isEqualTo(ExitCodes.CONFIG);
            assertThat(run.err()).as("%s", command).startsWith(heading)
                    .contains("\n  " + config + ":2: broker.qos = \"2\": expected 0 or 1")
                    .contains("\n  " + config + ":4: admin.port = \"70000\": expected a whole number from 0 to 65535");
        }
    }

    @Test
    void configCheck_emptyFile_saysSoPlainly(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.yaml");

        CliRun run = configCheck(config, "# everything commented out\n");

        assertThat(run.err()).isEqualTo("edge-agent: invalid configuration " + config + " (1 problem):\n  " + config
                + ": the file is empty (or holds only comments)\n");
    }

    @Test
    void configCheck_unclosedList_namesLineColumnAndWhatIsMissing(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config.yaml");

        CliRun run = configCheck(config, "broker:\n  url: tcp://127.0.0.1:1883\ninputs: [\n");

        assertThat(run.err()).contains(config + ":3: column 10: the file ends where a value was expected")
                .doesNotContain("while parsing").doesNotContain("flow node");
    }

    private static CliRun configCheck(Path config, String text) throws IOException {
        Files.writeString(config, text);
        CliRun run = CliRun.of("config", "check", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.CONFIG);
        return run;
    }
}
