package io.edgeagent.mqtt;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.LongSupplier;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * Plain TCP sockets whose input stream is buffered. Paho reads every packet from the socket's raw stream a byte or
 * two at a time (the fixed header, the remaining length) and then the rest, and the raw stream of a socket with a
 * read timeout turns every read into a poll and a read system call: several system calls per message. Through a
 * buffer one read takes whatever the kernel has, often hundreds of messages at a time. Only the reads change: what is
 * read, in what order, and the read timeout Paho sets are the same. Paho's receiver also asks {@code available()}
 * before every packet; the buffer answers that itself while it holds bytes, where a socket makes a system call.
 *
 * <p>The sockets also send and acknowledge without delay. Mosquitto, like most brokers, leaves Nagle's algorithm on
 * ({@code set_tcp_nodelay false}), so it holds each small write until the TCP acknowledgement of the one before
 * arrives. Linux acknowledges a small segment when the application reads it, unless the connection looks
 * interactive (it answered soon after it received: "ping-pong" mode), and then it delays the acknowledgement until it
 * has data to send with it, up to 40 ms. The agent answers its broker soon after receiving (a checkpoint's PUBACKs),
 * but then not again until the next checkpoint, so every reading in between waited for that timer: at 1,000
 * readings/s the median publish-to-command time was 3 ms with it and 0.7 ms without (performance.md). So after each
 * write the socket takes itself out of that mode ({@code TCP_QUICKACK}, Linux only; a system call per write, and
 * the agent writes far less often than it reads) unless the stream is dense ({@link QuickAcks}), and sends its own
 * writes at once ({@code TCP_NODELAY}): Paho already writes a packet at a time, and the patched sender a
 * checkpoint's acknowledgements in one write.
 *
 * <p>TLS sockets are not wrapped: an {@code SSLSocket} already reads whole records into its own buffer.
 */
final class BufferedSocketFactory extends SocketFactory {

    /** Enough for a burst of small QoS 1 publishes; the same order as the kernel's default receive buffer share. */
    static final int BUFFER_BYTES = 16 * 1024;

    static final BufferedSocketFactory INSTANCE = new BufferedSocketFactory();

    /** Whether this platform has {@code TCP_QUICKACK} (Linux); without it the sockets only send without delay. */
    static final boolean QUICK_ACKS = quickAcksSupported();

    @Override
    public Socket createSocket() {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static boolean quickAcksSupported() {
        try (Socket probe = new Socket()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket connected(InetSocketAddress address) throws IOException {
        return connected(address, null);
    }

    private static Socket connected(InetSocketAddress address, InetSocketAddress local) throws IOException {
        Socket socket = new BufferedSocket();
        if (local != null) {
            socket.bind(local);
        }
        socket.connect(address);
        return socket;
    }

    /** A socket without Nagle's delay that hands out one buffered input stream over its own. */
    static final class BufferedSocket extends Socket {

        private InputStream in;
        private OutputStream out;
        /** Bytes read from the socket so far; written by the reading thread only. */
        private volatile long received;

        BufferedSocket() {
            try {
                setTcpNoDelay(true);
            } catch (SocketException e) {
                // The socket could not be made (out of descriptors, say): connecting it fails next, with the reason.
            }
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new ReadAhead(new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.in.read(b, off, len);
                        if (n > 0) {
                            received += n;
                        }
                        return n;
                    }
                });
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                OutputStream raw = super.getOutputStream();
                out = QUICK_ACKS ? new QuickAcks(this, raw, () -> received) : raw;
            }
            return out;
        }
    }

    /**
     * Leaves the kernel's delayed-acknowledgement mode after each write, which is what puts the socket in it, unless
     * what arrived since the previous write was a dense stream: more than {@link #DENSE_BYTES} and more than
     * {@link #DENSE_BYTES_PER_SECOND}. Acknowledging such a stream at once made Mosquitto send each message in a
     * segment of its own, and the agent's receiving threads used twice the CPU per message (performance.md), while the
     * next write, with its acknowledgement, is milliseconds away. The amount matters as well as the rate: a broker
     * that stops at a small in-flight window (Mosquitto's default of 20) can send its whole window fast, and if its
     * Nagle hold then waited for a delayed acknowledgement, every window after a fast one would wait for it; 32 KiB is
     * more than such a window holds unless its messages exceed 1.6 KB.
     */
    static final class QuickAcks extends FilterOutputStream {

        /** Bytes between two writes below which input is sparse whatever its rate. */
        static final long DENSE_BYTES = 32 * 1024;
        /** About 6,000 readings of 160 bytes a second. */
        static final long DENSE_BYTES_PER_SECOND = 1 << 20;

        private final Socket socket;
        private final LongSupplier received;
        private long receivedAtLastWrite;
        private long lastWriteNanos = System.nanoTime();

        QuickAcks(Socket socket, OutputStream raw, LongSupplier received) {
            super(raw);
            this.socket = socket;
            this.received = received;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            afterWrite();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            afterWrite();
        }

        private void afterWrite() {
            long now = System.nanoTime();
            long total = received.getAsLong();
            if (sparse(total - receivedAtLastWrite, now - lastWriteNanos)) {
                try {
                    socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                } catch (IOException e) {
                    // Closed under us: the write went out, and the connection's end is reported by its reader.
                }
            }
            receivedAtLastWrite = total;
            lastWriteNanos = now;
        }

        /** Whether {@code bytes} in {@code nanos} is less than {@link #DENSE_BYTES} or than the dense rate. */
        static boolean sparse(long bytes, long nanos) {
            return bytes < DENSE_BYTES || bytes * 1e9 < (double) DENSE_BYTES_PER_SECOND * Math.max(nanos, 1);
        }
    }

    /** A buffered stream whose {@code available()} asks the socket only when the buffer is empty. */
    static final class ReadAhead extends BufferedInputStream {

        ReadAhead(InputStream socket) {
            super(socket, BUFFER_BYTES);
        }

        @Override
        public synchronized int available() throws IOException {
            int buffered = count - pos;
            return buffered > 0 ? buffered : super.available();
        }
    }
}
