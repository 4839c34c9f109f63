package io.edgeagent.demo;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * An in-process MQTT broker (Moquette) on a free loopback port, for the demo and tests. Memory only, anonymous, no
 * TLS: it is never the broker of a real deployment. Moquette does not redeliver unacknowledged QoS 1 messages to a
 * reconnecting persistent session the way Mosquitto does, so durability tests use a real Mosquitto.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Large enough for any payload the simulator or tests publish; Moquette's default is 8 KB. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final Server server;
    private final int port;

    private EmbeddedBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts on a free port on 127.0.0.1. Moquette cannot report the port it bound (its getPort() is filled in
     * asynchronously), so a free port is found first; the window in which another process could take it is a few
     * milliseconds.
     */
    public static EmbeddedBroker start() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        int port = freePort();
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("netty.mqtt.message_size", Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty("telemetry_enabled", "false");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded MQTT broker: " + e.getMessage(), e);
        }
        return new EmbeddedBroker(server, port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the embedded MQTT broker", e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
