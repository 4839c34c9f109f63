package io.edgeagent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {

    @Test
    void readsExactlyWhatWasSentInPiecesOfAnySizeAndKeepsTheReadTimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = BufferedSocketFactory.INSTANCE.createSocket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            client.setSoTimeout(200);
            byte[] sent = new byte[3 * BufferedSocketFactory.BUFFER_BYTES + 17];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31 + 7);
            }
            try (Socket accepted = server.accept()) {
                OutputStream out = accepted.getOutputStream();
                out.write(sent);
                out.flush();
                InputStream in = client.getInputStream();
                assertThat(client.getInputStream()).isSameAs(in);
                // Paho's way of reading: a byte, then a short, then the rest with readFully.
                DataInputStream data = new DataInputStream(in);
                byte[] received = new byte[sent.length];
                received[0] = data.readByte();
                int pair = data.readUnsignedShort();
                received[1] = (byte) (pair >> 8);
                received[2] = (byte) pair;
                data.readFully(received, 3, received.length - 3);
                assertThat(received).isEqualTo(sent);
                // Nothing more was sent: the socket's read timeout still applies through the buffer.
                assertThatThrownBy(data::readByte).isInstanceOf(SocketTimeoutException.class);
                out.write(42);
                out.flush();
                assertThat(data.readByte()).isEqualTo((byte) 42);
            }
        }
    }

    /**
     * A request-and-answer exchange, as MQTT's publish and acknowledgement are, puts Linux in its delayed-acknowledgement
     * mode (a plain socket reports TCP_QUICKACK off after it); the agent's sockets leave it after each write, and
     * send without Nagle's delay.
     */
    @Test
    void sendsAtOnceAndLeavesDelayedAcknowledgementsAfterEachWrite() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = BufferedSocketFactory.INSTANCE.createSocket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket accepted = server.accept()) {
                InputStream in = client.getInputStream();
                for (int i = 0; i < 20; i++) {
                    client.getOutputStream().write(i);
                    assertThat(accepted.getInputStream().read()).isEqualTo(i);
                    accepted.getOutputStream().write(i + 1);
                    assertThat(in.read()).isEqualTo(i + 1);
                }
                assertThat(client.getTcpNoDelay()).isTrue();
                if (client.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK)) {
                    assertThat(client.getOption(ExtendedSocketOptions.TCP_QUICKACK)).isTrue();
                }
            }
        }
    }

    @Test
    void quickAcknowledgements_onlyWhileWhatArrivesBetweenWritesIsSparse() {
        long second = 1_000_000_000L;
        long rate = BufferedSocketFactory.QuickAcks.DENSE_BYTES_PER_SECOND;
        long amount = BufferedSocketFactory.QuickAcks.DENSE_BYTES;
        assertThat(BufferedSocketFactory.QuickAcks.sparse(0, 0)).isTrue();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(4_000, second / 40)).as("1,000 readings/s").isTrue();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(4_000, second / 1_000))
                .as("a window of 20 readings sent in a millisecond").isTrue();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(60_000, second / 40)).as("15,000 readings/s").isFalse();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(amount - 1, 1)).isTrue();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(rate, second)).isFalse();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(rate - 1, second)).isTrue();
        assertThat(BufferedSocketFactory.QuickAcks.sparse(Integer.MAX_VALUE, 3_600 * second)).isTrue();
    }

    /**
     * A broker that drops the connection, or Paho closing the socket on another thread, between a write and the
     * acknowledgement setting: the write went out and is not failed for it; the reader reports the end.
     */
    @Test
    void socketClosedUnderAWrite_doesNotFailTheWrite() throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Socket closed = new Socket();
        closed.close();
        OutputStream out = new BufferedSocketFactory.QuickAcks(closed, written, () -> 0);

        out.write(new byte[] {0x40, 0x02, 0x00, 0x01});
        out.write(0);

        assertThat(written.toByteArray()).containsExactly(0x40, 0x02, 0x00, 0x01, 0);
    }

    @Test
    void available_answersFromTheBufferWhileItHoldsBytesAndAsksTheSocketOnlyWhenEmpty() throws Exception {
        CallCountingStream socket = new CallCountingStream(new byte[100]);
        InputStream in = new BufferedSocketFactory.ReadAhead(socket);

        assertThat(in.read()).isZero();
        assertThat(in.available()).isEqualTo(99);
        assertThat(socket.availableCalls).isZero();
        assertThat(in.readNBytes(99)).hasSize(99);
        assertThat(in.available()).isZero();
        assertThat(socket.availableCalls).isEqualTo(1);
    }

    @Test
    void onlyPlainTcpConnectionsGetTheBufferedFactory() {
        assertThat(options("tcp://127.0.0.1:1").getSocketFactory()).isSameAs(BufferedSocketFactory.INSTANCE);
        assertThat(options("ssl://127.0.0.1:1").getSocketFactory()).isNull();
        assertThat(MqttOptions.plainSockets("tcp://127.0.0.1:1", TlsConfig.NONE)).isTrue();
        assertThat(MqttOptions.plainSockets("ssl://127.0.0.1:1", TlsConfig.NONE)).isFalse();
        assertThat(MqttOptions.plainSockets("ws://127.0.0.1:1", TlsConfig.NONE)).isFalse();
        assertThat(MqttOptions.plainSockets("tcp://127.0.0.1:1", new TlsConfig(Path.of("ca.pem"), null, null)))
                .as("a CA file makes it TLS whatever the scheme").isFalse();
    }

    private static MqttConnectOptions options(String url) {
        return MqttOptions.build(url, null, null, TlsConfig.NONE, Duration.ofSeconds(30), Duration.ofSeconds(5), 10, true);
    }
}
