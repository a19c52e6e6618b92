/**
 * The HTTP server's parts below the routes, which Camel's platform-http has no setting for: connection limits,
 * strict request framing, and the answers while no route runs. They reach into Vert.x and Netty internals (the
 * Vert.x instance platform-http creates its server from, a connection's channel pipeline, the router), so a
 * Vert.x or Camel upgrade can break them: {@link io.github.promkinesis.http.vertx.StrictFraming} throws when
 * Vert.x's decoder is not where it was, and ConnectionLimitsIT (limits, framing) and StartAndStopIT (answers
 * while starting and stopping) fail on any other change of behaviour.
 */
package io.github.promkinesis.http.vertx;
