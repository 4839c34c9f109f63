package io.edgeagent.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose input stream is buffered. Paho reads every packet from the socket's raw stream a byte or
 * two at a time (the fixed header, the remaining length) and then the rest, and the raw stream of a socket with a
 * read timeout turns every read into a poll and a read system call: several system calls per message. Through a
 * buffer one read takes whatever the kernel has, often hundreds of messages at a time. Only the reads change: what is
 * read, in what order, and the read timeout Paho sets are the same. Paho's receiver also asks {@code available()}
 * before every packet; the buffer answers that itself while it holds bytes, where a socket makes a system call.
 *
 * <p>TLS sockets are not wrapped: an {@code SSLSocket} already reads whole records into its own buffer.
 */
final class BufferedSocketFactory extends SocketFactory {

    /** Enough for a burst of small QoS 1 publishes; the same order as the kernel's default receive buffer share. */
    static final int BUFFER_BYTES = 16 * 1024;

    static final BufferedSocketFactory INSTANCE = new BufferedSocketFactory();

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

    /** A socket that hands out one buffered input stream over its own. */
    static final class BufferedSocket extends Socket {

        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new ReadAhead(super.getInputStream());
            }
            return in;
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
