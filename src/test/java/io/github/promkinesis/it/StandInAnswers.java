package io.github.promkinesis.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/** How the AWS stand-ins listen (loopback, a free port) and answer: a status and a UTF-8 body of the service's content type. */
final class StandInAnswers {

    private StandInAnswers() {
    }

    /** A server on 127.0.0.1 and a free port, every path to {@code handler}, started. */
    static HttpServer serve(HttpHandler handler, Executor threads, int backlog) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), backlog);
        server.createContext("/", handler);
        server.setExecutor(threads);
        server.start();
        return server;
    }

    static String endpoint(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
