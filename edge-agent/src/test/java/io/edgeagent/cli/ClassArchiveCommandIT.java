package io.edgeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar builds a class archive that a JVM with the same options then maps: the agent's own classes, the
 * rule engine's, the rule compiler's and the buffer's come from the archive instead of the jars.
 */
class ClassArchiveCommandIT {

    private static final List<String> JVM = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @Test
    @Timeout(180)
    void classArchive_writesAnArchiveThatTheNextJvmLoadsTheAgentsClassesFrom(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("cache/classes.jsa");

        Run built = java(dir, List.of(), "class-archive", "--output", archive.toString());

        assertThat(built.exitCode()).as(built.output()).isZero();
        assertThat(built.output()).contains("Wrote " + archive);
        assertThat(archive).isRegularFile();
        assertThat(Files.size(archive)).isGreaterThan(1 << 20);
        try (var siblings = Files.list(archive.getParent())) {
            assertThat(siblings).as("no partial file left").containsExactly(archive);
        }

        Run used = java(dir, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"),
                "config", "check", "--config", TestConfigs.repositoryRoot().resolve("config.yaml").toString());

        assertThat(used.exitCode()).as(used.output()).isZero();
        assertThat(used.output())
                .containsPattern("io\\.edgeagent\\.config\\.ConfigLoader source: shared objects file \\(top\\)")
                .containsPattern("com\\.fasterxml\\.jackson\\.databind\\.ObjectMapper source: shared objects file \\(top\\)")
                .doesNotContain("[warning][cds");
        // The rule compiler's own loader (config check compiles the rules): Janino from a signed jar, and classes
        // that are only named in signatures, are archived too.
        assertThat(used.output())
                .containsPattern("org\\.codehaus\\.janino\\.UnitCompiler source: shared objects file \\(top\\)")
                .containsPattern("com\\.espertech\\.esper\\.compiler\\.client\\.EPCompileException source: shared objects file \\(top\\)")
                .containsPattern("compiler\\.janino\\.JaninoCompiler source: shared objects file \\(top\\)");
    }

    @Test
    @Timeout(60)
    void classArchive_whenTheOutputCannotBeWritten_failsWithTheReasonAndWritesNothing(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");

        Run built = java(dir, List.of(), "class-archive", "--output", notADirectory.resolve("classes.jsa").toString());

        assertThat(built.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(built.output()).contains("edge-agent: no class archive written").contains(notADirectory.toString());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run java(Path dir, List<String> options, String... args) throws IOException, InterruptedException {
        Path jar = TestConfigs.repositoryRoot().resolve("edge-agent/target/edge-agent.jar");
        assertThat(jar).as("built by the package phase before integration tests").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "java", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("java " + String.join(" ", args) + " did not end: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
