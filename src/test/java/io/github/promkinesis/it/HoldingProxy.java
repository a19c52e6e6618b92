package io.github.promkinesis.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy in front of an HTTP/1.1 server that lets everything through until a request line starts with
 * {@code marker}: that request, and whatever its client sends after it, stays in the proxy, and {@link #holding}
 * counts down. So a test can kill the client at the moment it sends that request, before the server has any of it.
 */
final class HoldingProxy implements AutoCloseable {

    final CountDownLatch holding = new CountDownLatch(1);
    private final ServerSocket listening;
    private final int targetPort;
    private final byte[] marker;

    HoldingProxy(int targetPort, String marker) throws IOException {
        this.targetPort = targetPort;
        this.marker = marker.getBytes(StandardCharsets.ISO_8859_1);
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    String endpoint() {
        return "http://127.0.0.1:" + listening.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listening.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                daemon(() -> pump(server, client));
                daemon(() -> forwardRequests(client, server));
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "holding-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    private static void pump(Socket from, Socket to) {
        try (from; to) {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException gone) {
            // either side closed
        }
    }

    /** The client's bytes to the server, up to the marked request. */
    private void forwardRequests(Socket client, Socket server) {
        try (client; server) {
            InputStream in = client.getInputStream();
            OutputStream out = server.getOutputStream();
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                int at = holding.getCount() > 0 ? indexOf(chunk, n, marker) : -1;
                out.write(chunk, 0, at < 0 ? n : at);
                if (at >= 0) {
                    holding.countDown();
                    // the rest is swallowed until the client is gone; then both sides close
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
            }
        } catch (IOException gone) {
            // the client was killed
        }
    }

    private static int indexOf(byte[] bytes, int length, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        listening.close();
    }
}
