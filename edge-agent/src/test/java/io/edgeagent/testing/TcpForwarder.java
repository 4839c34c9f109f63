package io.edgeagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Accepts on a fixed loopback port and forwards each connection to a target: lets a test point a client at an
 * address before the server behind it exists (the port refuses connections until this is opened), and write bytes of
 * its own to the clients as if the server had sent them (a damaged packet from a broker).
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();

    public TcpForwarder(int port, String targetHost, int targetPort) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(targetHost, targetPort);
                    sockets.add(in);
                    sockets.add(out);
                    clients.add(in);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed, or the target refused: the client sees its connection end and retries
                }
            }
        }, "test-forwarder-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Writes {@code bytes} to every client still connected, between two of the server's writes (each write is under
     * the client socket's lock), and returns how many clients it reached.
     */
    public int injectToClients(byte[] bytes) {
        int reached = 0;
        for (Socket client : clients) {
            synchronized (client) {
                try {
                    client.getOutputStream().write(bytes);
                    client.getOutputStream().flush();
                    reached++;
                } catch (IOException e) {
                    clients.remove(client);
                }
            }
        }
        return reached;
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (to) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // either side closed
            }
        }, "test-forwarder-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
