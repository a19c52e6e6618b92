package io.github.promkinesis.http.vertx;

import io.github.promkinesis.http.ThrottledLog;
import io.github.promkinesis.metrics.AdapterMetrics;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Time limits and a cap on the HTTP server's connections, so that no connection lives forever and idle or slow
 * clients cannot take every file descriptor: no bytes either way for idleSeconds (Vert.x's idle timeout); a
 * request head not complete headerSeconds after the connection opened or its previous answer (a slowloris, or a
 * keep-alive connection left unused); a body not complete bodySeconds after its head (a slow trickle); more than
 * maxConnections open at once, closed as they come. Each closing is counted and logged, throttled.
 * <p>
 * Camel's platform-http builds its own HttpServerOptions and sets no connection handler, with no setting for
 * either; it does create its server from the Vert.x instance it finds in the registry. So the adapter registers
 * one whose createHttpServer adds the limits (a proxy of the real instance; everything else is the real one),
 * and the router's first handler tells when a request head arrived and when its answer ended. Each connection
 * also reads requests with {@link StrictFraming}; requests Vert.x cannot read are counted and logged here.
 */
public final class ConnectionLimits {

    private static final ThrottledLog LOG = new ThrottledLog(LoggerFactory.getLogger(ConnectionLimits.class));

    private final int idleSeconds;
    private final long headerMillis;
    private final long bodyMillis;
    private final int maxConnections;
    private final AdapterMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    /** The open connections, each with its header timer (0: none running, a request is being read). */
    private final Map<HttpConnection, Long> headerTimers = new ConcurrentHashMap<>();
    private final Vertx vertx;

    /** {@code vertx} is the real instance, whose servers get these limits and whose timers time them. */
    public ConnectionLimits(Vertx vertx, int idleSeconds, int headerSeconds, int bodySeconds, int maxConnections,
                            AdapterMetrics metrics) {
        this.vertx = vertx;
        this.idleSeconds = idleSeconds;
        this.headerMillis = headerSeconds * 1000L;
        this.bodyMillis = bodySeconds * 1000L;
        this.maxConnections = maxConnections;
        this.metrics = metrics;
        metrics.connectionsOpen(open);
    }

    /** The Vert.x instance for the registry: the real one, but its HTTP servers get these limits. */
    public Vertx guardedVertx() {
        return (Vertx) Proxy.newProxyInstance(ConnectionLimits.class.getClassLoader(),
                new Class<?>[] {VertxInternal.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("createHttpServer") && arguments != null && arguments.length == 1
                            && arguments[0] instanceof HttpServerOptions options) {
                        // HTTP/1.1 only: with cleartext HTTP/2 on, Vert.x makes no connection (and calls no
                        // connection handler) before the first bytes tell the protocol; remote write is HTTP/1.1
                        options.setIdleTimeout(idleSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS)
                                .setHttp2ClearTextEnabled(false);
                        return guarded(vertx.createHttpServer(options), options);
                    }
                    try {
                        return method.invoke(vertx, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private HttpServer guarded(HttpServer server, HttpServerOptions options) {
        server.invalidRequestHandler(request -> {
            // framing Vert.x refused (headers or URL too long, Content-Length with Transfer-Encoding): its answer
            // (400, 414 or 431, then the connection closed), with our log line and metric
            Throwable cause = request.decoderResult().cause();
            if (!(cause instanceof PrematureChannelClosureException)) { // a head cut off: closed already, counted
                metrics.connectionClosed("bad_framing");
                LOG.log(false, "bad_framing", "refused a request Vert.x could not read (" + (cause == null
                        ? "invalid" : cause.getMessage()) + "): answered and closed its connection");
            }
            HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
        });
        return server.connectionHandler(connection -> {
            headerTimers.put(connection, 0L);
            open.incrementAndGet();
            // the channel's own close, not the connection's close handler, which Vert.x replaces on some paths;
            // added after the entry, so that a channel closed already still removes it
            StrictFraming.install(connection, options).closeFuture().addListener(closed -> {
                open.decrementAndGet();
                Long timer = headerTimers.remove(connection);
                if (timer != null && timer != 0) {
                    vertx.cancelTimer(timer);
                }
            });
            if (open.get() > maxConnections) {
                close(connection, "over_limit", "more than HTTP_MAX_CONNECTIONS (" + maxConnections
                        + ") connections open: closed a new one at once");
                return;
            }
            awaitHead(connection);
        });
    }

    /** The router's first handler: a request head arrived; its body must follow in time. */
    public void requestStarted(RoutingContext request) {
        HttpConnection connection = request.request().connection();
        cancelHeaderTimer(connection);
        long bodyTimer = vertx.setTimer(bodyMillis, fired -> {
            if (!request.request().isEnded()) {
                close(connection, "body_timeout", "a request body was not complete " + bodyMillis / 1000
                        + " s after its head (HTTP_BODY_TIMEOUT_SECONDS): connection closed");
            }
        });
        request.addEndHandler(ended -> {
            vertx.cancelTimer(bodyTimer);
            awaitHead(connection); // keep-alive: the next request's head within the same limit
        });
    }

    private void awaitHead(HttpConnection connection) {
        long[] self = new long[1];
        self[0] = vertx.setTimer(headerMillis, fired -> {
            if (headerTimers.replace(connection, self[0], 0L)) { // still open and still waiting for this head
                close(connection, "header_timeout", "no complete request head within " + headerMillis / 1000
                        + " s of the connection opening or its last answer (HTTP_HEADER_TIMEOUT_SECONDS):"
                        + " connection closed");
            }
        });
        if (swapTimer(connection, self[0]) == null) {
            vertx.cancelTimer(self[0]); // closed meanwhile
        }
    }

    private void cancelHeaderTimer(HttpConnection connection) {
        swapTimer(connection, 0L);
    }

    /** Puts a header timer (0: none) on an open connection, cancelling the one running; null if it is closed. */
    private Long swapTimer(HttpConnection connection, long timer) {
        long[] running = new long[1];
        Long now = headerTimers.computeIfPresent(connection, (c, previous) -> {
            running[0] = previous;
            return timer;
        });
        if (running[0] != 0) {
            vertx.cancelTimer(running[0]);
        }
        return now;
    }

    private void close(HttpConnection connection, String reason, String line) {
        metrics.connectionClosed(reason);
        LOG.log(false, reason, line);
        connection.close();
    }
}
