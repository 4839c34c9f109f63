package io.edgeagent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.wire.CountingInputStream;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttPublish;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;

/**
 * The receive path of the agent's copy of Paho's {@code CountingInputStream}, which reads arrays in one call where
 * Paho's read a byte at a time: for any packet a device or broker can send, it reads exactly what the byte-at-a-time
 * stream read, counts exactly what it consumed, and a damaged packet still ends in Paho's own exceptions.
 */
class PatchedPahoFuzzTest {

    @Property(tries = 300)
    void publish_anyTopicPayloadAndFlags_surviveEncodingAndDecoding(@ForAll("topics") String topic,
                                                                    @ForAll @Size(max = 20_000) byte[] payload,
                                                                    @ForAll @IntRange(min = 0, max = 2) int qos,
                                                                    @ForAll @IntRange(min = 1, max = 65_535) int id,
                                                                    @ForAll boolean retained) throws Exception {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retained);
        MqttPublish sent = new MqttPublish(topic, message);
        sent.setMessageId(id);

        MqttPublish received = (MqttPublish) MqttWireMessage.createWireMessage(packet(sent));

        assertThat(received.getTopicName()).isEqualTo(topic);
        assertThat(received.getMessage().getPayload()).isEqualTo(payload);
        assertThat(received.getMessage().getQos()).isEqualTo(qos);
        assertThat(received.getMessage().isRetained()).isEqualTo(retained);
        if (qos > 0) {
            assertThat(received.getMessageId()).isEqualTo(id);
        }
    }

    @Property(tries = 500)
    void countingStream_anyReadSizes_readsAndCountsWhatAByteAtATimeReadWould(
            @ForAll @Size(max = 5_000) byte[] content, @ForAll("readSizes") List<Integer> sizes) throws Exception {
        CountingInputStream counting = new CountingInputStream(new ByteArrayInputStream(content));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        for (int size : sizes) {
            byte[] buffer = new byte[size + 3];
            int n = counting.read(buffer, 3, size);
            if (n < 0) {
                assertThat(read.size()).isEqualTo(content.length);
                break;
            }
            read.write(buffer, 3, n);
            assertThat(counting.getCounter()).isEqualTo(read.size());
        }
        int b;
        while ((b = counting.read()) >= 0) {
            read.write(b);
        }

        assertThat(read.toByteArray()).isEqualTo(content);
        assertThat(counting.getCounter()).isEqualTo(content.length);
    }

    /**
     * A packet cut short, with bytes flipped, or plain noise: a message, Paho's exception, or a runtime exception,
     * never an error and never a hang. Paho's answer to a packet cut short or of an unknown type is an MqttException,
     * which ends the connection. Its own MqttPublish throws runtime exceptions for some damage (a length field that
     * contradicts the packet allocates a negative array, the reserved QoS 3 fails its QoS check), as it did with the
     * byte-at-a-time copy: on the receiver thread the connection's thread group catches those, counts a transport
     * failure and replaces the connection (MqttTransportChaosIT sends both kinds over a real connection).
     */
    @Property(tries = 1000)
    void createWireMessage_damagedPackets_giveAMessageOrAnException(@ForAll("damagedPackets") byte[] bytes) {
        try {
            MqttWireMessage.createWireMessage(bytes);
        } catch (Exception e) {
            assertThat(e).isInstanceOfAny(MqttException.class, RuntimeException.class);
        }
    }

    @Provide
    Arbitrary<String> topics() {
        Arbitrary<String> odd = Arbitraries.strings().withChars("aZ/+#$ ü温\u00a0\uD83D\uDD25").ofMinLength(1)
                .ofMaxLength(60);
        return Arbitraries.oneOf(Arbitraries.of("sensors/t1/temperature", "tele/plug/SENSOR", "owntracks/u/d"), odd)
                .filter(t -> PatchedPaho.topicProblem(t) == null);
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return Arbitraries.integers().between(0, 600).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<byte[]> damagedPackets() {
        Arbitrary<byte[]> valid = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(payload -> {
            try {
                MqttMessage message = new MqttMessage(payload);
                message.setQos(1);
                MqttPublish publish = new MqttPublish("sensors/a/temperature", message);
                publish.setMessageId(7);
                return packet(publish);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Arbitrary<byte[]> cut = Arbitraries.integers().between(0, 400).flatMap(keep -> valid.map(p ->
                java.util.Arrays.copyOf(p, Math.min(keep, p.length))));
        Arbitrary<byte[]> flipped = Arbitraries.integers().between(0, 40).flatMap(at -> Arbitraries.bytes()
                .flatMap(value -> valid.map(p -> {
                    byte[] copy = p.clone();
                    if (at < copy.length) {
                        copy[at] = value;
                    }
                    return copy;
                })));
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300);
        return Arbitraries.oneOf(cut, flipped, noise);
    }

    private static byte[] packet(MqttWireMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message.getHeader());
        out.write(message.getPayload());
        return out.toByteArray();
    }
}
