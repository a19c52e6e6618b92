package io.github.promkinesis.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of an HTTP/1.1 server that lets everything through until a request line starts with
 * {@code marker}: that request, and whatever its client sends after it, stays in the proxy, and {@link #holding}
 * counts down. So a test can kill the client at the moment it sends that request, before the server has any of it.
 * Without a marker it holds nothing and only records the request lines, so a test can count the requests a
 * client makes (signed requests pass unchanged, which an HTTP proxy could not promise).
 */
final class HoldingProxy implements AutoCloseable {

    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Z]+ \\S+ HTTP/1\\.[01]");

    final CountDownLatch holding = new CountDownLatch(1);
    /** The request lines forwarded, e.g. {@code GET /bucket/key HTTP/1.1}, in the order they came. */
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    /** How long each piece a client sends waits before it goes on: a service's latency, for a benchmark. */
    volatile long delayMillis;
    private final ServerSocket listening;
    private final int targetPort;
    private final byte[] marker;

    HoldingProxy(int targetPort, String marker) throws IOException {
        this.targetPort = targetPort;
        this.marker = marker == null ? null : marker.getBytes(StandardCharsets.ISO_8859_1);
        listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    /** A proxy that holds nothing back: it records the request lines. */
    HoldingProxy(int targetPort) throws IOException {
        this(targetPort, null);
    }

    /** The request lines so far that start with {@code start} and contain {@code part}. */
    long requests(String start, String part) {
        return requestLines.stream().filter(line -> line.startsWith(start) && line.contains(part)).count();
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
            StringBuilder line = new StringBuilder();
            for (int n; (n = in.read(chunk)) > 0; ) {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                int at = marker != null && holding.getCount() > 0 ? indexOf(chunk, n, marker) : -1;
                record(line, chunk, at < 0 ? n : at);
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The lines among these bytes (a line may span chunks) that are request lines. */
    private void record(StringBuilder line, byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                String complete = line.toString().strip();
                if (REQUEST_LINE.matcher(complete).matches()) {
                    requestLines.add(complete);
                }
                line.setLength(0);
            } else if (line.length() < 8192) {
                line.append((char) (bytes[i] & 0xff));
            }
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
