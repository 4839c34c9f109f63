package io.edgeagent.uplink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.UplinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink's line for a refused write, whether Kafka reports the refusal itself or wrapped (which is timing). */
class KafkaFailureMessageTest {

    @TempDir
    Path dir;

    private KafkaUplinkTarget target() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        String text = """
                broker:
                  url: tcp://127.0.0.1:1883
                uplink:
                  enabled: true
                  type: kafka
                  clientId: gw-1
                  kafka:
                    bootstrapServers: 127.0.0.1:9092
                    topic: readings
                    sasl:
                      mechanism: PLAIN
                      username: gw
                      password: secret
                """;
        UplinkConfig config = new ConfigLoader(new Placeholders(name -> null)).parse("config.yaml", text, dir).uplink();
        return new KafkaUplinkTarget(config);
    }

    @Test
    void failure_refusalWrappedByTheProducersErrorState_namesTheMissingAcl() throws Exception {
        KafkaException wrapped = new KafkaException("Cannot execute transactional method because we are in an error "
                + "state", new ClusterAuthorizationException("Cluster authorization failed."));

        String message = target().failure("readings", wrapped).getMessage();

        assertThat(message).startsWith("Kafka 127.0.0.1:9092 does not allow user gw (PLAIN) to write to topic readings")
                .contains("ClusterAuthorizationException: Cluster authorization failed.");
    }

    @Test
    void failure_refusalItself_namesTheMissingAcl() throws Exception {
        String message = target().failure("readings", new TopicAuthorizationException("denied")).getMessage();

        assertThat(message).startsWith("Kafka 127.0.0.1:9092 does not allow user gw (PLAIN) to write to topic readings");
    }

    @Test
    void failure_somethingElse_saysKafkaDidNotTakeTheBatch() throws Exception {
        String message = target().failure("readings", new KafkaException("broken")).getMessage();

        assertThat(message).startsWith("Kafka 127.0.0.1:9092 did not take the batch (KafkaException: broken)");
    }
}
