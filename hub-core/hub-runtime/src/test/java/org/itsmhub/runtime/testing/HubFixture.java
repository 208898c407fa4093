package org.itsmhub.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A hub installation in a temp folder: the probe plugin zip, the repository's route templates plus
 * any extra ones a test adds, a secret file, and a config file the test writes.
 */
public final class HubFixture {

    /** The value of the probe connection's API key; must never appear in logs. */
    public static final String PROBE_KEY = "pk-7f3c9a1e5b2d4c6e8a0f";

    private final Path home;
    private final int port = freePort();
    private String httpLimits = "";

    public HubFixture(Path home) {
        this.home = home;
        try {
            Files.createDirectories(plugins());
            Files.createDirectories(routes());
            ProbePlugin.buildInto(plugins());
            try (Stream<Path> templates = Files.list(Path.of("../../routes"))) {
                for (Path t : templates.toList()) {
                    Files.copy(t, routes().resolve(t.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.writeString(home.resolve("probe.key"), PROBE_KEY + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() { return home; }
    public Path plugins() { return home.resolve("plugins"); }
    public Path routes() { return home.resolve("routes"); }
    public int port() { return port; }

    /** Extra {@code hub.http} keys for the next {@link #config}, e.g. {@code "header-timeout: 1s"}. */
    public HubFixture httpLimits(String flowKeys) {
        this.httpLimits = ", " + flowKeys;
        return this;
    }

    /** Adds a route template file. */
    public HubFixture route(String fileName, String yaml) {
        try {
            Files.writeString(routes().resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Writes {@code hub.yaml}: the hub section pointing at this fixture (H2 file store, free port,
     * admin token {@code admin-secret-token}) followed by the given tenants section.
     */
    public Path config(String tenantsYaml) {
        return config("jdbc:h2:file:" + home + "/data/hub", "", "", tenantsYaml);
    }

    /** Writes {@code hub.yaml} with the given store (e.g. a PostgreSQL test schema). */
    public Path config(String storeUrl, String storeUser, String storePassword, String tenantsYaml) {
        String yaml = """
                hub:
                  store: { url: "%s", user: "%s", password: "%s" }
                  http: { bind: 127.0.0.1, port: %d, admin-token: "admin-secret-token"%s }
                  plugins-dir: %s
                  routes-dir: %s
                """.formatted(storeUrl, storeUser, storePassword, port, httpLimits, plugins(), routes()) + tenantsYaml;
        Path file = home.resolve("hub.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** One tenant with one healthy probe connection and a connection-check sync. */
    public static String acmeProbeTenant(String schedule) {
        return """
                tenants:
                  acme:
                    connections:
                      acme-probe:
                        plugin: probe
                        api.key: "${file:probe.key}"
                    syncs:
                      - id: acme-check
                        flow: connection-check
                        schedule: "%s"
                        connections: acme-probe
                """.formatted(schedule);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
