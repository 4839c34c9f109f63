package io.edgeagent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.demo.EmbeddedBroker;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar, started the way the package's launcher starts it ({@code java -jar edge-agent.jar}, Paho in
 * {@code lib/} through the manifest's class path), loads the agent's patched Paho classes from itself.
 */
class PatchedPahoJarIT {


    @TempDir
    Path dir;

    @Test
    void agentJar_startedLikeTheLauncher_loadsThePatchedPahoClassesFromItself() throws Exception {
        Path jar = Path.of("target", "edge-agent.jar").toAbsolutePath();
        assertThat(jar).as("the jar is built in package, before integration-test").exists();
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            Path config = dir.resolve("config.yaml");
            Files.createDirectories(dir.resolve("rules"));
            Files.writeString(config, TestConfigs.agentYaml(broker.url(), "patched-paho-it", 0));
            Path classes = dir.resolve("classes.log");
            Path output = dir.resolve("output.log");

            // record connects, which loads the patched connection classes, and records for a second.
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classes, "-jar", jar.toString(), "record", "--config", config.toString(),
                    "--duration", "1s", "--out", dir.resolve("recorded.jsonl").toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("record ended; output:%n%s", Files.readString(output))
                    .isTrue();

            List<String> lines = Files.readAllLines(classes);
            for (Class<?> patched : PatchedPaho.PATCHED) {
                List<String> loaded = lines.stream().filter(line -> line.contains(" " + patched.getName() + " ")).toList();
                assertThat(loaded).as("%s; output:%n%s", patched, Files.readString(output)).singleElement().asString()
                        .endsWith("source: file:" + jar);
            }
            assertThat(Files.readString(output)).doesNotContain("instead of edge-agent's patched copy");
        }
    }
}
