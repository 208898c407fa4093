package org.itsmhub.runtime.config;

import java.nio.file.Path;
import java.time.Duration;

import org.itsmhub.api.config.Secret;

/**
 * The {@code hub:} section: where state is stored, the HTTP endpoint, and where plugins and route
 * templates are read from. Every part has a default, so the section is optional.
 *
 * @param store      the state store
 * @param http       the HTTP endpoint (webhooks, health, admin API)
 * @param pluginsDir plugin folder, as written (relative paths are relative to the working directory)
 * @param routesDir  route template folder, as written
 * @param cluster    how the nodes sharing the store take turns at each sync
 */
public record HubSettings(Store store, Http http, Path pluginsDir, Path routesDir, Cluster cluster) {

    /** The settings with the default {@link Cluster}. */
    public HubSettings(Store store, Http http, Path pluginsDir, Path routesDir) {
        this(store, http, pluginsDir, routesDir, Cluster.defaults());
    }

    /**
     * {@code hub.cluster}: a cycle of a sync runs under a lease in the store; see docs/operations.md.
     *
     * @param lease     {@code hub.cluster.lease}: how long a node's lease on a sync lasts unless renewed
     *                  (renewed every third of it; a frozen or killed node blocks the sync this long at most)
     * @param leaseWait {@code hub.cluster.lease-wait}: how long a cycle waits for another node's lease
     *                  before its run ends as FAILED
     */
    public record Cluster(Duration lease, Duration leaseWait) {

        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
        public static final Duration DEFAULT_LEASE_WAIT = Duration.ofMinutes(5);

        public static Cluster defaults() {
            return new Cluster(DEFAULT_LEASE, DEFAULT_LEASE_WAIT);
        }
    }

    public static final String DEFAULT_STORE_URL = "jdbc:h2:file:./data/hub";
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_PLUGINS_DIR = Path.of("./plugins");
    public static final Path DEFAULT_ROUTES_DIR = Path.of("./routes");

    /**
     * @param url      JDBC URL
     * @param user     database user; may be empty
     * @param password database password; may be empty
     */
    public record Store(String url, String user, Secret password) {
    }

    /**
     * @param bind       address to listen on
     * @param port       1 to 65535
     * @param adminToken bearer token of the admin API; empty turns the admin API off
     */
    public record Http(String bind, int port, Secret adminToken, Limits limits) {

        /** With the default {@link Limits}. */
        public Http(String bind, int port, Secret adminToken) {
            this(bind, port, adminToken, Limits.defaults());
        }

        public boolean adminApiEnabled() {
            return !adminToken.isEmpty();
        }
    }

    /**
     * What one caller may hold of the HTTP server ({@code hub.http.*}); see docs/configuration.md.
     *
     * @param idleTimeout    a connection on which nothing is sent or received for this long is closed
     * @param headerTimeout  a connection that has not sent a whole request head this long after it opened
     *                       (or after its previous request) is closed: half-sent requests cannot pile up
     * @param requestTimeout a request not answered this long after its head arrived (a body trickling in)
     *                       is ended by closing its connection
     * @param maxConnections open connections at most; over it, the oldest connection still waiting for its
     *                       request head is closed to make room, or the new one when none is waiting
     * @param maxHeaderSize  bytes of request headers at most (431 over it)
     * @param maxBodySize    bytes of request body at most (413 over it)
     */
    public record Limits(Duration idleTimeout, Duration headerTimeout, Duration requestTimeout, int maxConnections,
            int maxHeaderSize, long maxBodySize) {

        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
        public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_CONNECTIONS = 512;
        public static final int DEFAULT_MAX_HEADER_SIZE = 8 * 1024;
        public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

        public static Limits defaults() {
            return new Limits(DEFAULT_IDLE_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_BODY_SIZE);
        }
    }

    /** The settings of a config file without a {@code hub:} section. */
    public static HubSettings defaults() {
        return new HubSettings(new Store(DEFAULT_STORE_URL, "", Secret.of("")),
                new Http(DEFAULT_BIND, DEFAULT_PORT, Secret.of("")), DEFAULT_PLUGINS_DIR, DEFAULT_ROUTES_DIR);
    }
}
