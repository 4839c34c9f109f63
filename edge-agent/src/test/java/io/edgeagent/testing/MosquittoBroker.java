package io.edgeagent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Mosquitto broker as a child process on a free loopback port. When {@code CI=true} a missing mosquitto is a
 * failure, not a skip: CI installs it, and a silently skipped durability test proves nothing.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final List<String> LOCATIONS = List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto",
            "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto", "/opt/homebrew/sbin/mosquitto");

    private final Process process;
    private final int port;
    private final Path log;

    private MosquittoBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static String executable() {
        for (String candidate : LOCATIONS) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** Starts mosquitto, or skips the test when it is not installed (fails instead under CI=true). */
    public static MosquittoBroker start(Path workDir) throws IOException {
        return start(workDir, freePort());
    }

    public static MosquittoBroker start(Path workDir, int port) throws IOException {
        return start(workDir, port, false);
    }

    /**
     * @param persistent keep sessions and queued messages across a restart on the same port and directory (saved on
     *                   {@link #close}), so a test can stop the broker without losing a subscriber's messages
     */
    public static MosquittoBroker start(Path workDir, int port, boolean persistent) throws IOException {
        String executable = executable();
        if (executable == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("mosquitto is not installed, and CI=true requires the real-broker tests "
                        + "to run: apt-get install -y mosquitto");
            }
            assumeTrue(false, "mosquitto is not installed; real-broker test skipped (it fails under CI=true)");
        }
        Path conf = workDir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                // Started as root, mosquitto switches to its own user, which cannot write a test's temp directory.
                persistent ? "persistence true\npersistence_location " + workDir.toAbsolutePath() + "/"
                        + "\npersistence_file mosquitto-" + port + ".db\nuser " + System.getProperty("user.name")
                        : "persistence false",
                // Deployments raise these too (docs/operations.md): the defaults cap QoS 1 throughput at 20 in flight
                // and silently drop beyond 1000 queued messages per client.
                "max_inflight_messages 1000",
                "max_queued_messages 1000000",
                ""));
        Path log = workDir.resolve("mosquitto-" + port + ".log");
        Process process = new ProcessBuilder(executable, "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MosquittoBroker broker = new MosquittoBroker(process, port, log);
        try {
            Awaitility.await("mosquitto listening on " + port).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> broker.accepting() || !process.isAlive());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IOException("mosquitto exited at start: " + Files.readString(log));
        }
        return broker;
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
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
