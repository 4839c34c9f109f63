package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.buffer.DataDirectoryLock;
import io.edgeagent.cli.ExitCodes;
import io.edgeagent.testing.AgentProcess;
import io.edgeagent.testing.MosquittoBroker;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a second agent on the same gateway meets, with the packaged jar as a child process: a taken admin port and a
 * locked data directory are each reported in one line, before any connecting or compiling, with their exit code.
 */
@Timeout(120)
class AgentStartChecksIT {

    @TempDir
    Path dir;

    /** A config whose broker nobody listens on: an agent that tried to connect would not exit at once. */
    private Path config(int adminPort) throws IOException {
        Files.createDirectories(dir.resolve("rules"));
        Files.copy(TestConfigs.rulesDirectory().resolve("temperature-high.yaml"), dir.resolve("rules/temperature-high.yaml"));
        return Files.writeString(dir.resolve("config.yaml"),
                TestConfigs.agentYaml("tcp://127.0.0.1:" + MosquittoBroker.freePort(), "start-checks", adminPort));
    }

    private String runUntilExit(Path config, int expectedExit) throws Exception {
        Path log = dir.resolve("agent.log");
        Process agent = AgentProcess.start(config, log);
        try {
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        } finally {
            agent.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(agent.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void run_adminPortTaken_saysSoInOneLineBeforeRulesOrMqttAndExits6() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String output = runUntilExit(config(taken.getLocalPort()), ExitCodes.PORT_IN_USE);

            assertThat(output).contains("Cannot start: the admin API's address 127.0.0.1:" + taken.getLocalPort()
                    + " is already in use").contains("set admin.port to a free port");
            assertThat(output).doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContain("deployed").doesNotContain("MQTT")
                    .doesNotContain("Stopping edge-agent").doesNotContain("edge-agent stopped");
        }
    }

    @Test
    void run_dataDirectoryLocked_reportsTheLockWithoutStopLinesAndExits4() throws Exception {
        Path config = config(0);
        Files.createDirectories(dir.resolve("data"));
        DataDirectoryLock held = DataDirectoryLock.acquire(dir.resolve("data"));
        try {
            String output = runUntilExit(config, ExitCodes.LOCKED);

            assertThat(output).contains("Cannot start:").contains("in use");
            assertThat(output).doesNotContain("Stopping edge-agent").doesNotContain("edge-agent stopped")
                    .doesNotContain("\tat ");
        } finally {
            held.close();
        }
    }
}
