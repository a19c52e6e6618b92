package io.github.promkinesis.http.vertx;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Refuses a request that carries both Content-Length and Transfer-Encoding (RFC 9112 §6.1: behind a proxy that
 * frames by Content-Length, this is how requests are smuggled). Netty, under Vert.x, reads such a request as
 * chunked and silently drops the Content-Length, so no handler above it can tell; this decoder, put in the
 * place of Vert.x's own on each new connection, makes it an invalid request instead: Vert.x answers 400 and
 * closes the connection. Two differing Content-Lengths Netty refuses already. Vert.x offers no setting for this,
 * hence its internal pipeline, checked by ConnectionLimitsIT on every Vert.x upgrade.
 */
final class StrictFraming extends VertxHttpRequestDecoder {

    private static final String DECODER = "httpDecoder";

    private StrictFraming(HttpServerOptions options) {
        super(options);
    }

    /** Puts this decoder in place of Vert.x's on a connection that has not read anything yet; its channel. */
    static Channel install(HttpConnection connection, HttpServerOptions options) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            if (pipeline.get(DECODER) instanceof VertxHttpRequestDecoder) {
                pipeline.replace(DECODER, DECODER, new StrictFraming(options));
                return base.channel();
            }
        }
        throw new IllegalStateException("no Vert.x HTTP/1.1 decoder to replace on " + connection);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        // thrown while reading the head: Netty marks the message invalid and discards the rest of the connection
        throw new IllegalArgumentException("Content-Length together with Transfer-Encoding");
    }
}
