package org.itsmhub.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A hub installation in a temp folder for end-to-end tests: the real plugin zips (copied by the
 * build to {@code target/plugins}), the repository's route templates, a config file the test
 * writes, and the CLI run in-process.
 */
final class E2eHub {

    private final Path home;

    E2eHub(Path home) {
        this.home = home;
        try {
            copyAll(Path.of("target/plugins"), home.resolve("plugins"));
            copyAll(Path.of("../routes"), home.resolve("routes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code hub.yaml}: an H2 store in the home folder, then the given tenants section. */
    Path config(String tenantsYaml) {
        return config(tenantsYaml, 8080);
    }

    /** The same, with the hub's HTTP server on the given loopback port. */
    Path config(String tenantsYaml, int httpPort) {
        String yaml = """
                hub:
                  store: { url: "jdbc:h2:file:%s/data/hub" }
                  http: { bind: 127.0.0.1, port: %d }
                  plugins-dir: %s
                  routes-dir: %s
                """.formatted(home, httpPort, home.resolve("plugins"), home.resolve("routes")) + tenantsYaml;
        try {
            return Files.writeString(home.resolve("hub.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one CLI run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = org.itsmhub.runtime.cli.ItsmHubCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A free port for the hub's HTTP server on 127.0.0.1. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Posts a vendor's webhook call to the hub on {@code port}; returns the HTTP status it answered. */
    static int deliverWebhook(int port, String tenant, String connection, String body,
            java.util.Map<String, String> headers) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + port + "/webhooks/" + tenant + "/" + connection))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return java.net.http.HttpClient.newHttpClient().send(b.build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
