package io.edgeagent.simulator.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker as a child process on a free loopback port. Where Mosquitto is missing the test is skipped,
 * except on CI ({@code CI=true}), where a missing broker must fail the build rather than hide a gap.
 */
public final class MosquittoProcess implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getenv().getOrDefault("MOSQUITTO", "/usr/sbin/mosquitto"));

    private final Process process;
    private final int port;

    private MosquittoProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Mosquitto with {@code extraConfig} lines (default: anonymous access) and waits until it accepts
     * connections. Files it reads besides the configuration must be readable by the user {@code mosquitto}: started
     * as root, Mosquitto switches to that user.
     */
    public static MosquittoProcess start(Path dir, String... extraConfig) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Mosquitto is required on CI but " + BINARY + " is missing (set MOSQUITTO to its path)");
            }
            assumeTrue(false, "Mosquitto not installed at " + BINARY);
        }
        int port = FreePort.find();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\npersistence false\n"
                // Tests check that every message arrives: no queue limit for a subscriber that falls behind.
                + "max_queued_messages 0\n"
                + (extraConfig.length == 0 ? "allow_anonymous true" : String.join("\n", extraConfig)) + "\n");
        Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        MosquittoProcess mosquitto = new MosquittoProcess(p, port);
        try {
            await("Mosquitto accepting connections on port " + port).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("Mosquitto exited: " + Files.readString(
                                    dir.resolve("mosquitto.log")));
                        }
                        return accepts(port);
                    });
        } catch (RuntimeException e) {
            mosquitto.close();
            throw e;
        }
        return mosquitto;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
