package org.itsmhub.runtime.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.itsmhub.runtime.config.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Camel's Vert.x HTTP server with the limits of {@link HubSettings.Limits}.
 *
 * <p>Camel creates its server with Vert.x's default options and offers no way to change them: no idle
 * timeout, no deadline for a request head, no cap on connections. 5,000 half-sent requests were held
 * for 90 s and ~21,000 connections ran the process out of file descriptors, {@code /health} included.
 * So this server is started in place of camel-main's: the same router (registered by
 * {@link VertxPlatformHttpServer#initializeServer()}), its own options and connection bookkeeping.
 *
 * <p>Over the cap, the oldest connection still waiting for its request head is closed to make room,
 * so that a flood of half-sent requests cannot lock out {@code /health} and the vendors; only when every
 * connection is busy with a request is the new one closed. All bookkeeping runs on the server's event
 * loop, hence plain collections.
 */
public final class HubHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HubHttpServer.class);

    private final VertxPlatformHttpServerConfiguration configuration;
    private final HubSettings.Limits limits;
    /** Connections without a whole request head yet, oldest first. */
    private final Deque<HttpConnection> waiting = new ArrayDeque<>();
    private final java.util.Set<HttpConnection> connections = new java.util.HashSet<>();
    private volatile int open; // connections.size(), for other threads
    private HttpServer server;

    public HubHttpServer(String host, int port, HubSettings.Limits limits) {
        this(configuration(host, port, limits), limits);
    }

    private HubHttpServer(VertxPlatformHttpServerConfiguration configuration, HubSettings.Limits limits) {
        super(configuration);
        this.configuration = configuration;
        this.limits = limits;
    }

    private static VertxPlatformHttpServerConfiguration configuration(String host, int port, HubSettings.Limits limits) {
        VertxPlatformHttpServerConfiguration c = new VertxPlatformHttpServerConfiguration();
        c.setBindHost(host);
        c.setBindPort(port);
        c.setMaxBodySize(limits.maxBodySize()); // Vert.x's body handler answers 413 over it
        return c;
    }

    /** Connections open now (for tests and metrics). */
    public int openConnections() {
        return open;
    }

    /** The Vert.x server; Camel's engine asks for it to name the router its consumers attach to. */
    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public int getPort() {
        return server != null ? server.actualPort() : configuration.getBindPort();
    }

    @Override
    protected void startServer() throws Exception {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) Math.max(1, limits.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxHeaderSize(limits.maxHeaderSize())
                // h2c detection holds a connection back from the connection handler until it has decided
                .setHttp2ClearTextEnabled(false);
        server = getVertx().createHttpServer(options);
        server.connectionHandler(this::opened);
        server.requestHandler(request -> {
            waiting.remove(request.connection());
            deadline(request);
            router.handle(request);
        });
        server.listen(configuration.getBindPort(), configuration.getBindHost()).toCompletionStage()
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("HTTP server on {}:{} (idle timeout {}, header timeout {}, request timeout {}, at most {} connections,"
                + " {} header bytes, {} body bytes)", configuration.getBindHost(), server.actualPort(), limits.idleTimeout(),
                limits.headerTimeout(), limits.requestTimeout(), limits.maxConnections(), limits.maxHeaderSize(),
                limits.maxBodySize());
    }

    private void opened(HttpConnection connection) {
        if (connections.size() >= limits.maxConnections()) {
            HttpConnection oldest = waiting.pollFirst();
            if (oldest == null) {
                LOG.warn("HTTP connection from {} closed: {} connections open (hub.http.max-connections)",
                        connection.remoteAddress(), connections.size());
                connection.close();
                return;
            }
            forget(oldest);
            oldest.close();
        }
        connections.add(connection);
        open = connections.size();
        waiting.addLast(connection);
        connection.closeHandler(closed -> forget(connection));
        awaitHead(connection);
    }

    private void forget(HttpConnection connection) {
        connections.remove(connection);
        waiting.remove(connection);
        open = connections.size();
    }

    /** Closes the connection unless a request head arrives within the header timeout. */
    private void awaitHead(HttpConnection connection) {
        getVertx().setTimer(limits.headerTimeout().toMillis(), timer -> {
            if (waiting.contains(connection)) {
                connection.close();
            }
        });
    }

    /** Closes the connection when the request is not answered in time; a later request on it gets its own head deadline. */
    private void deadline(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        getVertx().setTimer(limits.requestTimeout().toMillis(), timer -> {
            if (!request.response().ended() && !request.response().closed()) {
                connection.close();
            }
        });
        request.response().headersEndHandler(v -> {
            if (!request.isEnded()) {
                // the connection is closed below: say so, or a client pools it and its next request finds it dead
                request.response().putHeader("Connection", "close");
            }
        });
        request.response().endHandler(ended -> {
            if (!request.isEnded()) {
                // answered before its body was read (413): the rest of the body must not be taken for a next request
                connection.close();
                return;
            }
            if (!waiting.contains(connection)) {
                waiting.addLast(connection);
                awaitHead(connection);
            }
        });
    }

    /** Camel's own would close it on an executor this server never creates. */
    @Override
    protected void stopVertx() {
        try {
            getVertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing Vert.x failed: {}", e.toString());
        }
    }

    @Override
    protected void stopServer() {
        if (server == null) {
            return;
        }
        try {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing the HTTP server failed: {}", e.toString());
        } finally {
            server = null;
        }
    }
}
