package io.edgeagent.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Percentage.withPercentage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.simulator.cli.SimulatorCommand;
import io.edgeagent.simulator.testing.MosquittoProcess;
import io.edgeagent.simulator.testing.Received;
import io.edgeagent.simulator.testing.Subscriber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** The simulator against a real Mosquitto process: every format, max-rate mode, the CLI, and authentication. */
@Timeout(60)
class MosquittoIT {

    private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path dir;
    private MosquittoProcess mosquitto;
    private Subscriber subscriber;

    @BeforeEach
    void start() throws Exception {
        mosquitto = MosquittoProcess.start(dir);
        subscriber = new Subscriber(mosquitto.uri(), 1);
    }

    @AfterEach
    void stop() throws Exception {
        if (subscriber != null) {
            subscriber.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @ParameterizedTest
    @EnumSource(PayloadFormat.class)
    void run_eachFormat_deliversThePlannedTopicsAndPayloads(PayloadFormat format) {
        SimulatorOptions opts = SimulatorOptions.builder().broker(mosquitto.uri()).scenario("demo").format(format)
                .duration(Duration.ofSeconds(2)).seed(5L).startTime(START).build();
        List<Received> plan = Simulator.plan(opts).stream().map(m -> Received.of(m.topic(), m.payload())).toList();

        SimulationSummary summary = new Simulator(opts).run();

        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.count() >= plan.size());
        assertThat(subscriber.messages()).isEqualTo(plan);
        assertThat(summary.messagesSent()).isEqualTo(plan.size());
        assertThat(summary.format()).isEqualTo(format);
    }

    @Test
    void run_maxRate_deliversEveryMessageAndReportsTheRate() {
        SimulatorOptions opts = SimulatorOptions.builder().broker(mosquitto.uri()).devices(100).maxRate(true)
                .maxMessages(20_000).build();

        SimulationSummary summary = new Simulator(opts).run();

        assertThat(summary.messagesSent()).isEqualTo(20_000);
        assertThat(summary.errors()).isZero();
        assertThat(summary.achievedRate()).as("messages per second")
                .isCloseTo(20_000 / (summary.elapsed().toNanos() / 1e9), withPercentage(1))
                .isGreaterThan(1_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.count() == 20_000);
    }

    @Test
    void cli_runWithJson_exitsWith0AndPrintsTheSummary() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SimulatorCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("run", "--broker", mosquitto.uri(), "--scenario", "demo", "--duration", "2s",
                "--seed", "7", "--json");

        assertThat(code).as(err.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.toString());
        assertThat(summary.get("messagesSent").asLong()).isEqualTo(10);
        assertThat(summary.get("seed").asLong()).isEqualTo(7);
        assertThat(summary.get("errors").asLong()).isZero();
        assertThat(err.toString()).as("progress line").contains("sent ");
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriber.count() == 10);
    }

    @Test
    void run_withCredentials_connectsOnlyWithTheRightPassword() throws Exception {
        Path passwd = Path.of("/usr/bin/mosquitto_passwd");
        assumeTrue(Files.isExecutable(passwd), "mosquitto_passwd not installed");
        Path shared = Files.createTempDirectory("simulator-it-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path passwords = shared.resolve("passwords");
        Process p = new ProcessBuilder(passwd.toString(), "-b", "-c", passwords.toString(), "sim", "s3cret")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-r--r--"));
        try (MosquittoProcess secured = MosquittoProcess.start(Files.createDirectory(dir.resolve("secured")),
                "password_file " + passwords, "allow_anonymous false")) {
            SimulatorOptions.Builder opts = SimulatorOptions.builder().broker(secured.uri()).devices(5)
                    .duration(Duration.ofSeconds(1)).username("sim");

            assertThatThrownBy(() -> new Simulator(opts.password("wrong").build()).run())
                    .isInstanceOf(SimulatorException.class).hasMessageContaining("cannot connect to " + secured.uri())
                    .hasMessageContaining("authori");
            assertThat(new Simulator(opts.password("s3cret").build()).run().messagesSent()).isEqualTo(5);
        } finally {
            Files.deleteIfExists(passwords);
            Files.delete(shared);
        }
    }
}
