package io.edgeagent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPublish;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The agent's copies of Paho classes: that they are the ones loaded; what the copy of {@code MqttWireMessage} accepts and refuses. */
class PatchedPahoTest {

    private static final String FIRE = "sensors/\uD83D\uDD25/temperature";

    @Test
    void classPath_patchedClasses_areLoadedFromTheAgentsOwnClasses() {
        assertThat(PatchedPaho.PATCHED).hasSize(4).allSatisfy(type -> assertThat(PatchedPaho.location(type))
                .isEqualTo(PatchedPaho.location(MqttConnection.class))
                .doesNotContain("org.eclipse.paho.client.mqttv3-"));
        PatchedPaho.verify();
    }

    @ParameterizedTest
    @ValueSource(strings = {FIRE, "sensors/\uD834\uDD1E/clef", "sensors/\uDBFF\uDFFD/last-plane", "sensors/\u2764\uFE0F/heart",
            "sensors/\uFF21\uFF22/fullwidth", "sensors/\uFFFD/replacement", "k\u00fchlhaus/\u6e29\u5ea6", ""})
    void topicProblem_validTopicsWithCharactersOutsideTheBmpOrHighInTheBmp_areAccepted(String topic) {
        assertThat(PatchedPaho.topicProblem(topic)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sensors/\uD83D/lone-high", "sensors/\uD83D", "sensors/\uDD25/lone-low",
            "sensors/\uDD25\uD83D/reversed", "sensors/\u0000/null", "sensors/\t/tab", "sensors/\u0085/c1",
            "sensors/\uFDD0/nonchar", "sensors/\uFFFF/nonchar", "sensors/\uD83F\uDFFE/plane-nonchar"})
    void topicProblem_forbiddenOrDiscouragedCharacters_areNamedWithTheirIndex(String topic) {
        assertThat(PatchedPaho.topicProblem(topic)).matches("U\\+[0-9A-F]{4,6} at index 8 \\(.+\\)");
    }

    @Test
    void topicProblem_nullCharacter_saysMqttForbidsIt() {
        assertThat(PatchedPaho.topicProblem("a/\u0000")).isEqualTo("U+0000 at index 2 (MQTT forbids the null character)");
    }

    @Test
    void publish_topicOutsideTheBmp_survivesEncodingAndTheReceiversDecoding() throws Exception {
        MqttPublish sent = new MqttPublish(FIRE, new MqttMessage("{}".getBytes(StandardCharsets.UTF_8)));

        MqttWireMessage received = MqttWireMessage.createWireMessage(bytes(sent));

        assertThat(received).isInstanceOf(MqttPublish.class);
        assertThat(((MqttPublish) received).getTopicName()).isEqualTo(FIRE);
    }

    @Test
    void publish_loneSurrogateInTheTopic_isRefusedOnTheSendersThreadWithTheCharacterNamed() {
        MqttPublish publish = new MqttPublish("sensors/\uD83D/x", new MqttMessage(new byte[0]));

        assertThatThrownBy(publish::getHeader).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+D83D at index 8").hasMessageContaining("not part of a pair");
    }

    @Test
    void receive_nullCharacterInATopicFromTheBroker_isDecodedNotThrownIntoTheReceiver() throws Exception {
        // What a broker that does not validate would send: PUBLISH QoS 1, topic "a/<U+0000>", packet id 7, payload "x".
        byte[] topic = "a/\u0000".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x32);
        packet.write(2 + topic.length + 2 + 1);
        packet.write(0);
        packet.write(topic.length);
        packet.write(topic);
        packet.write(new byte[] {0, 7, 'x'});

        MqttWireMessage received = MqttWireMessage.createWireMessage(packet.toByteArray());

        assertThat(((MqttPublish) received).getTopicName()).isEqualTo("a/\u0000");
        assertThat(received.getMessageId()).isEqualTo(7);
        assertThat(PatchedPaho.topicProblem(((MqttPublish) received).getTopicName())).contains("U+0000");
    }

    private static byte[] bytes(MqttWireMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message.getHeader());
        out.write(message.getPayload());
        return out.toByteArray();
    }
}
