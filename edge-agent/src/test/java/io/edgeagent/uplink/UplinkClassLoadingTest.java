package io.edgeagent.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.UplinkConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Kafka's client is loaded only for a Kafka uplink: a child JVM with {@code -verbose:class} builds and starts an MQTT
 * and an HTTP uplink and must not load a single {@code org.apache.kafka} class.
 */
class UplinkClassLoadingTest {

    /** Run in the child JVM. */
    public static void main(String[] args) {
        for (String type : List.of("mqtt", "http")) {
            String url = type.equals("mqtt") ? "tcp://127.0.0.1:1" : "http://127.0.0.1:1/events";
            UplinkConfig config = new UplinkConfig(true, type, url, null, "probe", null, null, null, null, null, null,
                    null, null, null, null, null);
            try (Uplink uplink = Uplink.create(config, new MemoryOutbox())) {
                uplink.start();
            }
        }
    }

    @Test
    void create_mqttOrHttpUplink_loadsNoKafkaClass() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", System.getProperty("java.class.path"), UplinkClassLoadingTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).as("the uplinks were built").contains("io.edgeagent.uplink.MqttUplinkTarget")
                .contains("io.edgeagent.uplink.HttpUplinkTarget");
        assertThat(output.lines().filter(l -> l.contains("org.apache.kafka")).toList()).isEmpty();
    }
}
