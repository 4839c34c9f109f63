package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.simulator.cli.SimulatorCommand;
import io.edgeagent.simulator.testing.FreePort;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's exit codes and messages, through picocli's own execute path. */
class SimulatorCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cl = SimulatorCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void scenarios_noName_listsEveryBuiltInWithExitCode0() {
        assertThat(execute("scenarios")).isZero();
        assertThat(out.toString()).contains("demo", "heatwave", "fleet", "flaky");
    }

    @Test
    void scenarios_name_printsLoadableYaml() {
        assertThat(execute("scenarios", "fleet")).isZero();
        assertThat(io.edgeagent.simulator.scenario.Scenarios.parse(out.toString(), "printed").name())
                .isEqualTo("fleet");
    }

    @Test
    void run_badDuration_exitsWith2AndExplains() {
        assertThat(execute("run", "--scenario", "demo", "--duration", "5 minutes")).isEqualTo(2);
        assertThat(err.toString()).contains("--duration").contains("30s");
    }

    @Test
    void run_invalidOptionValues_exitWith2AndOneLine() {
        assertThat(execute("run", "--devices", "-3")).isEqualTo(2);
        assertThat(err.toString()).startsWith("device-simulator: ").contains("devices = -3").doesNotContain("\tat ");
    }

    @Test
    void run_unknownFormat_exitsWith2ListingTheFormats() {
        assertThat(execute("run", "--devices", "1", "--format", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("json, raw, tasmota, owntracks");
    }

    @Test
    void run_unreachableBroker_exitsWith1AndOneLineWithoutStackTrace() {
        int closedPort = FreePort.find();

        int code = execute("run", "--scenario", "demo", "--broker", "tcp://127.0.0.1:" + closedPort,
                "--connect-timeout", "1s", "--quiet");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("device-simulator: cannot connect to tcp://127.0.0.1:" + closedPort)
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void run_unreachableBrokerWithProgress_saysConnectingAndNeverCountsPastTheRunsDuration() {
        int closedPort = FreePort.find();

        int code = execute("run", "--devices", "1", "--duration", "1s", "--broker", "tcp://127.0.0.1:" + closedPort,
                "--connect-timeout", "3s");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("connecting ... ").doesNotContain("of 1s")
                .contains("device-simulator: cannot connect to tcp://127.0.0.1:" + closedPort);
    }

    @Test
    void run_missingPasswordEnvironmentVariable_exitsWith2() {
        assertThat(execute("run", "--devices", "1", "--username", "u", "--password-env", "NO_SUCH_VAR_4711"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("NO_SUCH_VAR_4711");
    }

    @Test
    void version_always_namesTheProgram() {
        assertThat(execute("--version")).isZero();
        assertThat(out.toString()).startsWith("device-simulator ");
    }
}
