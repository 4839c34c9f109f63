package io.edgeagent.simulator.testing;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;

/** Moquette in this JVM on a free loopback port, in memory, anonymous. */
public final class EmbeddedBroker implements AutoCloseable {

    private final Server server = new Server();

    public EmbeddedBroker() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", "0");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("netty.mqtt.message_size", "65536");
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Moquette records the port it bound to (port 0 = any free one) asynchronously after startServer returns,
        // and accepting TCP is not yet answering MQTT: a client connecting at once was seen to be dropped (EOF).
        await("Moquette answering MQTT").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> server.getPort() > 0 && answersMqtt(server.getPort()));
    }

    private static boolean answersMqtt(int port) {
        try (MqttClient probe = new MqttClient("tcp://127.0.0.1:" + port, "ready-probe-" + System.nanoTime(),
                new MemoryPersistence())) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setConnectionTimeout(2);
            probe.connect(options);
            probe.disconnect(1_000);
            return true;
        } catch (MqttException e) {
            return false;
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
