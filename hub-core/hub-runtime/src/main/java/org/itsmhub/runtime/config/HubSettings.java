package org.itsmhub.runtime.config;

import java.nio.file.Path;

import org.itsmhub.api.config.Secret;

/**
 * The {@code hub:} section: where state is stored, the HTTP endpoint, and where plugins and route
 * templates are read from. Every part has a default, so the section is optional.
 *
 * @param store      the state store
 * @param http       the HTTP endpoint (webhooks, health, admin API)
 * @param pluginsDir plugin folder, as written (relative paths are relative to the working directory)
 * @param routesDir  route template folder, as written
 */
public record HubSettings(Store store, Http http, Path pluginsDir, Path routesDir) {

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
    public record Http(String bind, int port, Secret adminToken) {

        public boolean adminApiEnabled() {
            return !adminToken.isEmpty();
        }
    }

    /** The settings of a config file without a {@code hub:} section. */
    public static HubSettings defaults() {
        return new HubSettings(new Store(DEFAULT_STORE_URL, "", Secret.of("")),
                new Http(DEFAULT_BIND, DEFAULT_PORT, Secret.of("")), DEFAULT_PLUGINS_DIR, DEFAULT_ROUTES_DIR);
    }
}
