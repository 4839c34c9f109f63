package io.edgeagent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.internal.CommsSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.client.mqttv3.internal.wire.CountingInputStream;
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
        assertThat(PatchedPaho.PATCHED).hasSize(6).allSatisfy(type -> assertThat(PatchedPaho.location(type))
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

    @Test
    void receive_publishWithALargePayload_isReadWholeThroughTheCountingStream() throws Exception {
        byte[] payload = new byte[70_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 13);
        }
        MqttPublish sent = new MqttPublish("sensors/a", new MqttMessage(payload));
        sent.getMessage().setQos(1);
        sent.setMessageId(513);

        MqttPublish received = (MqttPublish) MqttWireMessage.createWireMessage(bytes(sent));

        assertThat(received.getMessage().getPayload()).isEqualTo(payload);
        assertThat(received.getMessageId()).isEqualTo(513);
        assertThat(received.getTopicName()).isEqualTo("sensors/a");
    }

    @Test
    void countingStream_readsArraysInOneCallAndCountsWhatItRead() throws Exception {
        CallCountingStream source = new CallCountingStream(new byte[] {1, 2, 3, 4, 5, 6, 7});
        CountingInputStream counting = new CountingInputStream(source);
        DataInputStream in = new DataInputStream(counting);

        assertThat(in.readByte()).isEqualTo((byte) 1);
        byte[] rest = new byte[5];
        in.readFully(rest);

        assertThat(rest).containsExactly(2, 3, 4, 5, 6);
        assertThat(counting.getCounter()).isEqualTo(6);
        assertThat(source.singleByteReads).isEqualTo(1);
        assertThat(counting.read(new byte[4], 0, 4)).isEqualTo(1);
        assertThat(counting.read(new byte[4], 0, 4)).isEqualTo(-1);
        assertThat(counting.getCounter()).isEqualTo(7);
    }

    @Test
    void acknowledgements_sentAsARun_allReachTheBrokerInOrder() throws Exception {
        assertThat(CommsSender.coalescesAcknowledgements()).isTrue();
        int count = 200;
        try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + broker.getLocalPort(), "acks",
                    new MemoryPersistence());
            BlockingQueue<Integer> arrived = new LinkedBlockingQueue<>();
            client.setManualAcks(true);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    arrived.add(message.getId());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            try (Socket socket = connect(client, broker)) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(publishes(1, count));
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    ids.add(arrived.poll(10, TimeUnit.SECONDS));
                }
                assertThat(ids).doesNotContainNull();
                for (int id : ids) {
                    client.messageArrivedComplete(id, 1);
                }

                byte[] acks = new byte[4 * count];
                in.readFully(acks);

                for (int id = 1; id <= count; id++) {
                    int at = 4 * (id - 1);
                    assertThat(new int[] {acks[at], acks[at + 1], ((acks[at + 2] & 0xff) << 8) | (acks[at + 3] & 0xff)})
                            .as("acknowledgement %d", id).containsExactly(0x40, 2, id);
                }
            } finally {
                client.disconnectForcibly(0, 1000);
                client.close(true);
            }
        }
    }

    @Test
    void manualAcks_messagesGoToTheListenerOnTheReceiversThreadInOrder_andOneThatThrowsEndsTheConnection()
            throws Exception {
        try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + broker.getLocalPort(), "direct",
                    new MemoryPersistence());
            BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
            BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();
            client.setManualAcks(true);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lost.add(cause);
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    arrived.add(message.getId() + " on " + Thread.currentThread().getName());
                    if (message.getId() == 3) {
                        throw new IllegalStateException("listener failed");
                    }
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            try (Socket socket = connect(client, broker)) {
                socket.getOutputStream().write(publishes(1, 5));

                List<String> delivered = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    delivered.add(arrived.poll(10, TimeUnit.SECONDS));
                }
                assertThat(delivered).containsExactly("1 on MQTT Rec: direct", "2 on MQTT Rec: direct",
                        "3 on MQTT Rec: direct");
                Throwable cause = lost.poll(10, TimeUnit.SECONDS);
                assertThat(cause).isNotNull().hasRootCauseMessage("listener failed");
                assertThat(socket.getInputStream().read()).as("the client closed the connection").isEqualTo(-1);
                assertThat(arrived).as("nothing delivered after the failure").isEmpty();
            } finally {
                client.close(true);
            }
        }
    }

    /** Accepts the client's connection on {@code broker} and answers its CONNECT; returns the broker's side. */
    private static Socket connect(MqttAsyncClient client, ServerSocket broker) throws Exception {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setKeepAliveInterval(0);
        IMqttToken connecting = client.connect(options);
        Socket socket = broker.accept();
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        in.readByte();
        in.readFully(new byte[remainingLength(in)]);
        socket.getOutputStream().write(new byte[] {0x20, 0x02, 0x00, 0x00});
        connecting.waitForCompletion(10_000);
        return socket;
    }

    /** QoS 1 PUBLISH packets on topic "t", payload "abc", with ids {@code first}..{@code last}. */
    private static byte[] publishes(int first, int last) {
        ByteArrayOutputStream packets = new ByteArrayOutputStream();
        for (int id = first; id <= last; id++) {
            packets.writeBytes(new byte[] {0x32, 8, 0, 1, 't', (byte) (id >> 8), (byte) id, 'a', 'b', 'c'});
        }
        return packets.toByteArray();
    }

    private static int remainingLength(DataInputStream in) throws Exception {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value |= (digit & 0x7f) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private static byte[] bytes(MqttWireMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message.getHeader());
        out.write(message.getPayload());
        return out.toByteArray();
    }
}
