package io.github.promkinesis.http.vertx;

import io.github.promkinesis.http.ErrorReply;
import io.github.promkinesis.http.ThrottledLog;
import io.github.promkinesis.kinesis.WrittenCounts;
import io.github.promkinesis.metrics.AdapterMetrics;
import io.github.promkinesis.protocol.RemoteWriteStatus;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.LoggerFactory;

/**
 * Answers what the YAML routes do not, as they would: while they start, stop or are reloaded, 503 and
 * Retry-After for every request, instead of Vert.x's 404 (which Prometheus drops) or Camel's bare 503; a known
 * path with another method, 405 with Allow; a body over MAX_BODY_BYTES, 413 from Vert.x's body handler; a
 * client gone mid-request, a throttled WARN and a metric. Each answer with the route's log line, metric and
 * written-count headers. Installed on the HTTP server's router before the routes exist.
 */
public final class UnroutedRequests implements StartupListener, Ordered {

    private static final ThrottledLog ABANDONED = new ThrottledLog(LoggerFactory.getLogger(UnroutedRequests.class));

    private final CamelContext context;
    private final int port;
    private final long maxBodyBytes;
    private final AdapterMetrics metrics;
    private final int retryAfterSeconds;
    private final BooleanSupplier routesSwapping;
    private final Consumer<RoutingContext> requestStarted;
    private boolean installed;

    public UnroutedRequests(CamelContext context, int port, long maxBodyBytes, AdapterMetrics metrics,
                            int retryAfterSeconds, BooleanSupplier routesSwapping,
                            Consumer<RoutingContext> requestStarted) {
        this.context = context;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
        this.retryAfterSeconds = retryAfterSeconds;
        this.routesSwapping = routesSwapping;
        this.requestStarted = requestStarted;
    }

    /** After Camel's own listeners, which start the HTTP server: the router exists then. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST;
    }

    /** The server starts early (it serves health) or with the other services; both come before the consumers. */
    @Override
    public void onCamelContextStarting(CamelContext started, boolean alreadyStarted) {
        install(false);
    }

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
        install(true);
    }

    private void install(boolean required) {
        if (installed) {
            return;
        }
        Router router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            if (required) {
                throw new IllegalStateException("no HTTP server on port " + port + " (camel.server.enabled)");
            }
            return;
        }
        // first, so that while starting, stopping or reloading every request gets this answer, not Camel's bare
        // 503 of a suspended route; last, for what no route takes
        router.route().order(Integer.MIN_VALUE).handler(this::whileNotServing);
        router.route().order(Integer.MAX_VALUE).handler(this::unrouted).failureHandler(this::failed);
        installed = true;
    }

    private void whileNotServing(RoutingContext request) {
        requestStarted.accept(request); // a request head arrived: ConnectionLimits times its body
        if (!refusedUnlessStarted(request)) {
            request.next();
        }
    }

    /** 503 + Retry-After unless every route is up, not stopping and not being replaced; whether it answered. */
    private boolean refusedUnlessStarted(RoutingContext request) {
        String why = !context.isStarted() ? (context.isStopping() ? "the adapter is shutting down"
                : "the adapter is starting") : routesSwapping.getAsBoolean() ? "the routes are being reloaded" : null;
        if (why == null) {
            return false;
        }
        reply(request, 503, why + ": retry later");
        return true;
    }

    private void unrouted(RoutingContext request) {
        if (refusedUnlessStarted(request)) {
            return;
        }
        Optional<String> allowed = allowedMethods(request.normalizedPath());
        if (allowed.isPresent()) {
            request.response().putHeader("Allow", allowed.get());
            reply(request, 405, "method " + request.request().method() + " not allowed, use " + allowed.get());
        } else {
            request.next(); // Vert.x's own 404: unknown paths are no remote-write request
        }
    }

    private void failed(RoutingContext request) {
        if (request.failure() instanceof HttpClosedException) {
            // the client went away mid-request: nothing to answer, its fault, counted and logged sparingly
            metrics.requestAbandoned();
            ABANDONED.log(false, "abandoned", "a client closed its connection to " + request.normalizedPath()
                    + " before its request was read (Prometheus resends what it did not get an answer for)");
        } else if (request.statusCode() == 413 && !request.response().headWritten()) {
            reply(request, 413, "body larger than MAX_BODY_BYTES (" + maxBodyBytes + " bytes)");
        } else {
            request.next();
        }
    }

    /** The methods the routes take on a path, e.g. "POST"; empty for a path no route serves. */
    private Optional<String> allowedMethods(String path) {
        PlatformHttpComponent http = context.hasComponent("platform-http") instanceof PlatformHttpComponent c ? c : null;
        if (http == null) {
            return Optional.empty();
        }
        return http.getHttpEndpoints().stream().filter(e -> e.getUri().equals(path)).map(HttpEndpointModel::getVerbs)
                .filter(verbs -> verbs != null && !verbs.isEmpty()).findFirst();
    }

    private void reply(RoutingContext request, int status, String reason) {
        long started = System.nanoTime();
        metrics.requestStarted();
        ErrorReply.log(status, request.normalizedPath(), reason, false);
        HttpServerResponse response = request.response().setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader(WrittenCounts.SAMPLES, "0")
                .putHeader(WrittenCounts.HISTOGRAMS, "0")
                .putHeader(WrittenCounts.EXEMPLARS, "0");
        if (RemoteWriteStatus.resend(status)) {
            response.putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        response.end(reason + "\n");
        metrics.requestAnswered(status, System.nanoTime() - started, 0);
    }
}
